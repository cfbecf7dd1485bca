using System.Text.Json;

namespace ControlPanel.Bench;

/// <summary>
/// What the panel really sampled, from <c>/api/stats/top</c>: this run's containers listed, and the new readings of them
/// (a container's latest reading with a time not seen before) between polls — the achieved rate, which falls behind the
/// configured one when a round of engine calls takes longer than the interval. Polled every 5 s, it sees at most one
/// reading of a container per poll: it can count up to containers/5 per second, above the 10 s rate, below the 2 s one.
/// </summary>
public sealed class SampledReadings(HttpClient api, string runId)
{
    private readonly HashSet<(string Id, DateTimeOffset At)> _seen = [];
    private int _baseline = -1;

    /// <summary>This run's containers the panel lists, and every container it lists.</summary>
    public async Task<(int Mine, int All)> PollAsync()
    {
        var top = JsonDocument.Parse(await api.GetStringAsync("/api/stats/top")).RootElement;
        var mine = top.EnumerateArray().Where(c => c.GetProperty("name").GetString()!.Contains(runId, StringComparison.Ordinal)).ToList();
        foreach (var c in mine) _seen.Add((c.GetProperty("id").GetString()!, c.GetProperty("latest").GetProperty("at").GetDateTimeOffset()));
        if (_baseline < 0) _baseline = _seen.Count;
        return (mine.Count, top.GetArrayLength());
    }

    /// <summary>New readings of this run's containers seen since the first poll.</summary>
    public int NewReadings => _seen.Count - Math.Max(0, _baseline);
}
