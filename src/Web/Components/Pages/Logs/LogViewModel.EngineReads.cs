using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;

namespace ControlPanel.Web.Components.Pages.Logs;

/// <summary>What the view reads straight from the engines: full-log search, skipped ranges, older lines.</summary>
public sealed partial class LogViewModel
{
    public const int MaxEngineResults = 5_000;

    /// <summary>Lines of the containers' full logs (on the engines) in [since, until] that match the current search; at most <see cref="MaxEngineResults"/>.</summary>
    public async Task<IReadOnlyList<LogRow>> SearchEnginesAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var query = new LogQuery(Tail: null, Since: since, Until: until, Follow: false).Validated();
        var pattern = _search;
        var found = new List<LogLine>();
        foreach (var line in await ReadRangeAsync(query, cancellationToken))
        {
            if (pattern is null || pattern.Matches(line.Text)) found.Add(line);
        }
        return found.OrderBy(l => l.Timestamp).TakeLast(MaxEngineResults).Select((l, i) => new LogRow(-1 - i, l, AnsiText.Parse(l.Text), SourceOf(l))).ToList();
    }

    /// <summary>Reads a gap's lines from the engines and puts them in their place.</summary>
    public async Task LoadGapAsync(LogGap gap, CancellationToken cancellationToken)
    {
        var lines = await ReadRangeAsync(new LogQuery(Tail: null, Since: gap.From, Until: gap.To, Follow: false), cancellationToken);
        // Lines sharing the boundary timestamps may also be held already; only those not held are inserted.
        HashSet<(DateTimeOffset, string)> held;
        lock (_gate) held = _rows.Where(r => r.Line.Timestamp == gap.From || r.Line.Timestamp == gap.To).Select(r => (r.Line.Timestamp, r.Line.Text)).ToHashSet();
        Insert(lines.Where(l => l.Timestamp >= gap.From && l.Timestamp <= gap.To && !held.Contains((l.Timestamp, l.Text))));
        lock (_gate) Gaps.Remove(gap);
        ChangedRows();
    }

    /// <summary>Up to 1,000 lines per source from before the oldest line held, read from the engines; returns how many.</summary>
    public async Task<int> LoadOlderAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? until;
        lock (_gate) until = _rows.First?.Value.Line.Timestamp;
        // Nothing held yet: the last lines, by the engine's clock rather than ours (a node's clock may be ahead).
        var lines = await ReadRangeAsync(new LogQuery(Tail: 1_000, Until: until, Follow: false), cancellationToken);
        var older = lines.Where(l => until is null || l.Timestamp < until).ToList();
        Insert(older);
        ChangedRows();
        return older.Count;
    }

    private async Task<List<LogLine>> ReadRangeAsync(LogQuery query, CancellationToken cancellationToken)
    {
        var lines = new List<LogLine>();
        foreach (var s in KnownSources)
        {
            try
            {
                await foreach (var line in _reader.ReadAsync(s.Node, s.ContainerId, query, cancellationToken)) lines.Add(line);
            }
            catch (ContainerNotFoundException) when (!Sources.Contains(s))
            {
                // A replica removed since (a deployment replaced it): its engine no longer has its log.
            }
        }
        return lines;
    }

    /// <summary>Puts lines read afterwards into timestamp order among those held (the window may grow past its size for them).</summary>
    private void Insert(IEnumerable<LogLine> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines.OrderBy(l => l.Timestamp))
            {
                Place(new LogRow(++_seq, line, AnsiText.Parse(line.Text), SourceOf(line)));
            }
        }
    }
}
