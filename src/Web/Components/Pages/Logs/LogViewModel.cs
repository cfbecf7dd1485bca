using System.Text.RegularExpressions;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;

namespace ControlPanel.Web.Components.Pages.Logs;

/// <summary>One shown line: its place in arrival order, the line, its colour spans and which source it came from.</summary>
public sealed record LogRow(long Seq, LogLine Line, IReadOnlyList<TextSpan> Spans, int Source);

/// <summary>
/// The log viewer's state: a bounded window of lines from one or more followed containers, pause with
/// a buffer, and search. Filled by a background loop over the shared followers; the page renders it.
/// </summary>
public sealed class LogViewModel(LogFollowers followers, ILogSource source, Core.Fleet.FleetService fleet) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<LogRow> _rows = new();
    private readonly List<LogRow> _pausedBuffer = [];
    private readonly List<LogSubscription> _subscriptions = [];
    private IReadOnlyList<LogRow>? _visible;
    private Regex? _search;
    private long _seq;

    public event Action? Changed;

    /// <summary>Lines queued for this view before it counts them as skipped.</summary>
    public int QueueCapacity { get; set; } = LogFollowers.DefaultQueueCapacity;

    /// <summary>Lines kept in the browser; older ones fall out of the window.</summary>
    public int Window { get; set; } = 10_000;
    public IReadOnlyList<ContainerRef> Sources { get; private set; } = [];
    public bool Paused { get; private set; }
    public int Buffered { get { lock (_gate) return _pausedBuffer.Count; } }
    public long Skipped { get; private set; }
    /// <summary>Lines that reached this view (shown, or fallen out of the window since); with <see cref="Skipped"/>, every line written.</summary>
    public long Received { get; private set; }
    public List<string> Notes { get; } = [];
    public List<LogGap> Gaps { get; } = [];
    public string? SearchError { get; private set; }
    public bool OnlyMatching { get; private set; }
    public Regex? SearchPattern => _search;

    public IReadOnlyList<LogRow> Visible
    {
        get
        {
            IReadOnlyList<LogRow> visible;
            lock (_gate)
            {
                try
                {
                    return _visible ??= OnlyMatching && _search is { } re ? _rows.Where(r => LogSearch.Matches(re, r.Line.Text)).ToList() : _rows.ToList();
                }
                catch (InvalidRequestException ex)
                {
                    // A pattern too slow for these lines: drop it and say so, rather than fail the page's render.
                    _search = null;
                    SearchError = ex.Message;
                    visible = _visible = _rows.ToList();
                }
            }
            Changed?.Invoke(); // outside the lock: the page draws the note now, not at the next batch
            return visible;
        }
    }

    /// <summary>
    /// Follows "node/container" sources and fills the window until <paramref name="cancellationToken"/> is
    /// cancelled: from <paramref name="since"/> when given (read from the engines first), else the last <paramref name="tail"/> lines.
    /// </summary>
    public async Task FollowAsync(IReadOnlyList<string> sources, int tail, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        Sources = sources.Select(s => ContainerRef.Parse(s, "c")).ToList();
        if (since is { } from)
        {
            var history = new List<LogLine>();
            foreach (var (node, id) in Sources)
            {
                await foreach (var line in source.ReadAsync(fleet.RequireNode(node), id, new LogQuery(Tail: null, Since: from, Follow: false), cancellationToken))
                    history.Add(line);
            }
            lock (_gate)
            {
                foreach (var line in history.OrderBy(l => l.Timestamp).TakeLast(Window)) Add(new LogRow(++_seq, line, AnsiText.Parse(line.Text), SourceIndex(line)));
                _visible = null;
            }
            Changed?.Invoke();
            tail = 0; // live from here; the history came from the engines
        }
        foreach (var (node, id) in Sources) _subscriptions.Add(await followers.SubscribeAsync(node, id, tail, cancellationToken, QueueCapacity));
        var index = _subscriptions.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        // Short batches here: the page's render throttle already gathers ~100 ms; two 100 ms stages would add up.
        await foreach (var batch in LogMerge.MergeAsync(_subscriptions, TimeSpan.FromMilliseconds(20), cancellationToken))
        {
            lock (_gate)
            {
                Skipped += batch.Skipped;
                Received += batch.Lines.Count;
                Gaps.AddRange(batch.Gaps);
                if (batch.Note is { } note) Notes.Add(note);
                foreach (var line in batch.Lines)
                {
                    var row = new LogRow(++_seq, line, AnsiText.Parse(line.Text), SourceIndex(line));
                    if (Paused) _pausedBuffer.Add(row);
                    else Add(row);
                }
                // The pause buffer is bounded like the window: beyond it, the oldest buffered lines go.
                if (_pausedBuffer.Count > Window) _pausedBuffer.RemoveRange(0, _pausedBuffer.Count - Window);
                _visible = null;
            }
            Changed?.Invoke();
        }
    }

    // Per line on the hot path: a loop over the few sources, no allocation.
    private int SourceIndex(LogLine line)
    {
        for (var i = 0; i < Sources.Count; i++)
        {
            if (Sources[i].Matches(line.Node, line.ContainerId)) return i;
        }
        return 0;
    }

    private void Add(LogRow row)
    {
        _rows.AddLast(row);
        while (_rows.Count > Window) _rows.RemoveFirst();
    }

    public void SetPaused(bool paused)
    {
        lock (_gate)
        {
            Paused = paused;
            if (!paused)
            {
                foreach (var row in _pausedBuffer) Add(row);
                _pausedBuffer.Clear();
            }
            _visible = null;
        }
        Changed?.Invoke();
    }

    /// <summary>Sets the search; a pattern that does not compile leaves the old one and sets <see cref="SearchError"/>.</summary>
    public void SetSearch(string? text, bool regex, bool caseSensitive, bool onlyMatching)
    {
        lock (_gate)
        {
            OnlyMatching = onlyMatching;
            SearchError = null;
            if (string.IsNullOrEmpty(text)) _search = null;
            else
            {
                var options = RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
                try
                {
                    _search = new Regex(regex ? text : Regex.Escape(text), options, TimeSpan.FromMilliseconds(50));
                }
                catch (ArgumentException ex)
                {
                    SearchError = $"Not a valid regular expression: {ex.Message}";
                }
            }
            _visible = null;
        }
        Changed?.Invoke();
    }

    public const int MaxEngineResults = 5_000;

    /// <summary>Lines of the containers' full logs (on the engines) in [since, until] that match the current search; at most <see cref="MaxEngineResults"/>.</summary>
    public async Task<IReadOnlyList<LogRow>> SearchEnginesAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var query = new LogQuery(Tail: null, Since: since, Until: until, Follow: false).Validated();
        var pattern = _search;
        var found = new List<LogLine>();
        foreach (var line in await ReadRangeAsync(query, cancellationToken))
        {
            if (pattern is null || LogSearch.Matches(pattern, line.Text)) found.Add(line);
        }
        return found.OrderBy(l => l.Timestamp).TakeLast(MaxEngineResults).Select((l, i) => new LogRow(-1 - i, l, AnsiText.Parse(l.Text), SourceIndex(l))).ToList();
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
        Changed?.Invoke();
    }

    /// <summary>Up to 1,000 lines per source from before the oldest line held, read from the engines; returns how many.</summary>
    public async Task<int> LoadOlderAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset until;
        lock (_gate) until = _rows.First?.Value.Line.Timestamp ?? DateTimeOffset.UtcNow;
        var lines = await ReadRangeAsync(new LogQuery(Tail: 1_000, Until: until, Follow: false), cancellationToken);
        var older = lines.Where(l => l.Timestamp < until).ToList();
        Insert(older);
        Changed?.Invoke();
        return older.Count;
    }

    private async Task<List<LogLine>> ReadRangeAsync(LogQuery query, CancellationToken cancellationToken)
    {
        var lines = new List<LogLine>();
        foreach (var s in Sources)
        {
            await foreach (var line in source.ReadAsync(fleet.RequireNode(s.Node), s.Container, query, cancellationToken)) lines.Add(line);
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
                var row = new LogRow(++_seq, line, AnsiText.Parse(line.Text), SourceIndex(line));
                var after = _rows.Last;
                while (after is not null && after.Value.Line.Timestamp > line.Timestamp) after = after.Previous;
                if (after is null) _rows.AddFirst(row);
                else _rows.AddAfter(after, row);
            }
            _visible = null;
        }
    }

    /// <summary>The visible lines as text: time (UTC), source, stream, text.</summary>
    public string VisibleAsText() => string.Join('\n', Visible.Select(r =>
        $"{r.Line.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ} {r.Line.Node} {(r.Line.Stream == LogStream.Stderr ? "stderr" : "stdout")} {r.Line.Text}")) + "\n";

    public void Dispose()
    {
        foreach (var s in _subscriptions) s.Dispose();
    }
}
