namespace ControlPanel.Core.Audit;

/// <summary>What to do with one refused anonymous request.</summary>
public enum RefusalVerdict
{
    /// <summary>The client's first refusal this minute: record it now.</summary>
    Record,
    /// <summary>Counted; recorded as part of one row when the minute ends.</summary>
    Counted,
    /// <summary>Counted, and over the client's limit for this minute: answer 429 without further work.</summary>
    Throttled,
}

/// <summary>
/// Refused anonymous requests per client address and minute, in memory. Anyone can send them, so one
/// row each would let anyone fill the append-only log: a client's first refusal of a minute is recorded
/// at once, the rest are only counted and become one row (with <see cref="AuditEntry.Count"/>) once the
/// minute has ended. Memory is bounded: beyond <paramref name="maxClients"/> addresses in one minute the
/// rest share one "other clients" tally (which is not throttled: its addresses are not told apart).
/// </summary>
public sealed class RefusalTally(TimeProvider time, int maxClients = 10_000, int limitPerMinute = 60)
{
    public const string OtherClients = "(other clients)";
    public const string Action = "access.unauthenticated";

    private readonly Lock _lock = new();
    private Dictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private DateTimeOffset _minute;
    private List<AuditEntry> _ended = [];

    public int LimitPerMinute => limitPerMinute;

    /// <summary>Counts one refusal of <paramref name="client"/> (null: unknown address) for <paramref name="target"/>.</summary>
    public RefusalVerdict Count(string? client, string target)
    {
        var key = client ?? "unknown";
        lock (_lock)
        {
            CloseEndedMinute();
            if (!_tallies.TryGetValue(key, out var tally))
            {
                if (_tallies.Count >= maxClients) key = OtherClients;
                if (!_tallies.TryGetValue(key, out tally)) _tallies[key] = tally = new Tally();
            }
            tally.Refused++;
            tally.LastTarget = target;
            if (tally.Refused == 1) return RefusalVerdict.Record;
            if (tally.Refused <= limitPerMinute || key == OtherClients) return RefusalVerdict.Counted;
            tally.Throttled++;
            return RefusalVerdict.Throttled;
        }
    }

    /// <summary>When the current minute ends (for a Retry-After).</summary>
    public DateTimeOffset MinuteEnds => Minute(time.GetUtcNow()).AddMinutes(1);

    /// <summary>
    /// The rows of minutes that have ended, each standing for a client's refusals after its first; the
    /// caller writes them. <paramref name="includeCurrent"/> also ends the current minute (at shutdown).
    /// </summary>
    public IReadOnlyList<AuditEntry> TakeEnded(bool includeCurrent)
    {
        lock (_lock)
        {
            CloseEndedMinute();
            if (includeCurrent) Close();
            var ended = _ended;
            _ended = [];
            return ended;
        }
    }

    private void CloseEndedMinute()
    {
        var minute = Minute(time.GetUtcNow());
        if (minute == _minute) return;
        Close();
        _minute = minute;
    }

    private void Close()
    {
        foreach (var (client, tally) in _tallies)
        {
            var more = tally.Refused - 1;
            if (more == 0) continue;
            _ended.Add(new AuditEntry
            {
                At = _minute, Actor = Security.Actor.Anonymous(null).Name, ClientAddress = client == OtherClients ? null : client, Action = Action,
                Target = client == OtherClients ? $"/api from {OtherClients}" : "/api",
                Detail = $"{more} more refused requests in the minute from {_minute:HH:mm} UTC, the last {tally.LastTarget}; {tally.Throttled} answered 429",
                Succeeded = false, Error = "Not signed in and no valid API token.", Duration = TimeSpan.Zero, Count = more,
            });
        }
        _tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    private sealed class Tally
    {
        public int Refused;
        public int Throttled;
        public string LastTarget = "";
    }
}
