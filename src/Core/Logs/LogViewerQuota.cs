using ControlPanel.Core.Common;

namespace ControlPanel.Core.Logs;

/// <summary>
/// Bounds what one user can make the panel follow: each followed source holds a queue and a copy of its recent
/// lines, so 20 connections asking for 1,700 copies each once took the panel from 183 MB to 1.8 GB. A view follows
/// at most <see cref="MaxSourcesPerView"/> distinct sources, a user at most <see cref="MaxStreamsPerUser"/> at once
/// over all their pages and connections.
/// </summary>
public sealed class LogViewerQuota
{
    public const int MaxSourcesPerView = 20;
    public const int MaxStreamsPerUser = 50;
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The sources without repeats; refused, naming <paramref name="field"/>, when more than a view may follow.</summary>
    public static IReadOnlyList<string> Distinct(IEnumerable<string> sources, string field)
    {
        var distinct = sources.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > MaxSourcesPerView)
            throw new InvalidRequestException(field, $"'{field}' names {distinct.Count} different containers; one view follows at most {MaxSourcesPerView}.");
        return distinct;
    }

    /// <summary>Streams <paramref name="user"/> follows now, over all their views.</summary>
    public int HeldBy(string user)
    {
        lock (_gate) return _held.GetValueOrDefault(user);
    }

    /// <summary>Reserves <paramref name="count"/> streams for the user until the returned handle is disposed.</summary>
    public IDisposable Acquire(string user, int count)
    {
        lock (_gate)
        {
            var held = _held.GetValueOrDefault(user);
            if (held + count > MaxStreamsPerUser)
                throw new InvalidRequestException("sources", $"You already follow {held} log streams; at most {MaxStreamsPerUser} at once. Close another log view first.");
            _held[user] = held + count;
        }
        return new Reservation(this, user, count);
    }

    private void Release(string user, int count)
    {
        lock (_gate)
        {
            var left = _held.GetValueOrDefault(user) - count;
            if (left > 0) _held[user] = left;
            else _held.Remove(user);
        }
    }

    private sealed class Reservation(LogViewerQuota quota, string user, int count) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) quota.Release(user, count);
        }
    }
}
