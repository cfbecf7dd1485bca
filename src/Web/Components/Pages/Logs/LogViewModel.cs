using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Web.Components.Pages.Logs;

/// <summary>One shown line: its place in arrival order, the line, its colour spans and which source it came from.</summary>
public sealed record LogRow(long Seq, LogLine Line, IReadOnlyList<TextSpan> Spans, LogSourceInfo Source);

/// <summary>
/// The log viewer's state: a bounded window of lines from one or more followed containers (a list, or a service's
/// replicas as they come and go), pause with a buffer, and search. Filled by a background loop over a
/// <see cref="LogFeed"/>; the rows shown are computed
/// off the render path (<see cref="VisibleLogRows"/>); the page renders them.
/// </summary>
public sealed partial class LogViewModel : IDisposable
{
    private readonly ServiceLogs _logs;
    private readonly LogRangeReader _reader;
    private readonly Lock _gate = new();
    private readonly LinkedList<LogRow> _rows = new();
    private readonly List<LogRow> _pausedBuffer = [];
    private LogFeed? _feed;
    private readonly VisibleLogRows _visible;
    private LogSearch? _search;
    private long _seq;

    public LogViewModel(ServiceLogs logs, LogRangeReader reader, ILogger<LogViewModel> logger)
    {
        (_logs, _reader) = (logs, reader);
        _visible = new VisibleLogRows(VisibleInput, DropSearch, logger);
        _visible.Computed += () => Changed?.Invoke();
    }

    public event Action? Changed;

    /// <summary>Lines queued for this view before it counts them as skipped.</summary>
    public int QueueCapacity { get; set; } = LogFollowers.DefaultQueueCapacity;

    /// <summary>Lines kept in the browser; older ones fall out of the window.</summary>
    public int Window { get; set; } = 10_000;
    /// <summary>The sources followed now (a service's change as its replicas do).</summary>
    public IReadOnlyList<LogSourceInfo> Sources => _feed?.Sources ?? [];
    /// <summary>Every source lines may have come from (followed now or before).</summary>
    public IReadOnlyList<LogSourceInfo> KnownSources => _feed?.Known ?? [];
    /// <summary>The service followed, when the view follows one rather than a list of containers.</summary>
    public string? Service { get; private set; }
    public bool Paused { get; private set; }
    public int Buffered { get { lock (_gate) return _pausedBuffer.Count; } }
    public long Skipped { get; private set; }
    /// <summary>Lines that reached this view (shown, or fallen out of the window since); with <see cref="Skipped"/>, every line written.</summary>
    public long Received { get; private set; }
    public List<string> Notes { get; } = [];
    public List<LogGap> Gaps { get; } = [];
    public string? SearchError { get; private set; }
    public bool OnlyMatching { get; private set; }
    public LogSearch? Search => _search;

    /// <summary>Time one pass of the search over the window may take; beyond it the view says it searched only the newest lines.</summary>
    public TimeSpan SearchBudget { get => _visible.Budget; set => _visible.Budget = value; }

    /// <summary>The rows last computed for the view (cheap: the page renders from it).</summary>
    public IReadOnlyList<LogRow> Visible => _visible.Current.Rows;

    /// <summary>Why the rows shown are not the whole answer (matches among only part of the window, a view that stopped); null when they are.</summary>
    public string? ViewNote => _visible.Current.Note;

    /// <summary>Completes once <see cref="Visible"/> reflects every change made before this call.</summary>
    public Task WhenVisibleCurrentAsync(CancellationToken cancellationToken) => _visible.WhenCurrentAsync(cancellationToken);

    private LogRowsInput VisibleInput()
    {
        lock (_gate) return new LogRowsInput(_rows.ToArray(), _search, OnlyMatching);
    }

    /// <summary>A pattern too slow for one of these lines: dropped, and the person told at the search box.</summary>
    private void DropSearch(LogSearch search, InvalidRequestException refused)
    {
        lock (_gate)
        {
            if (_search != search) return; // already replaced
            _search = null;
            SearchError = refused.Message;
        }
        ChangedRows();
    }

    /// <summary>After a change to the lines or the search (outside the lock): the rows are recomputed, and the page told.</summary>
    private void ChangedRows()
    {
        _visible.Invalidate();
        Changed?.Invoke();
    }

    /// <summary>
    /// Follows "node/container" sources and fills the window until <paramref name="cancellationToken"/> is
    /// cancelled: from <paramref name="since"/> when given (read from the engines first), else the last <paramref name="tail"/> lines.
    /// <paramref name="reserve"/> holds the viewer's quota per source.
    /// </summary>
    public async Task FollowAsync(IReadOnlyList<string> sources, int tail, DateTimeOffset? since, CancellationToken cancellationToken, Func<IDisposable>? reserve = null)
    {
        var containers = sources.Select(s => ContainerRef.Parse(s, "c")).ToList();
        var history = new List<LogLine>();
        if (since is { } from)
        {
            foreach (var (node, id) in containers)
            {
                await foreach (var line in _reader.ReadAsync(node, id, new LogQuery(Tail: null, Since: from, Follow: false), cancellationToken))
                    history.Add(line);
            }
            tail = 0; // live from here; the history came from the engines
        }
        await FollowAsync(await _logs.FollowContainersAsync(containers, tail, reserve ?? Unreserved, cancellationToken, QueueCapacity), history, cancellationToken);
    }

    /// <summary>Follows the service's replicas on every node, adding new ones and letting removed ones go, until cancelled.</summary>
    public Task FollowServiceAsync(string service, int tail, CancellationToken cancellationToken, Func<IDisposable>? reserve = null)
    {
        Service = service;
        return FollowAsync(_logs.FollowService(service, tail, reserve ?? Unreserved, QueueCapacity), [], cancellationToken);
    }

    private static IDisposable Unreserved() => NoQuota.Instance;

    private sealed class NoQuota : IDisposable
    {
        public static readonly NoQuota Instance = new();
        public void Dispose() { }
    }

    private async Task FollowAsync(LogFeed feed, IReadOnlyList<LogLine> history, CancellationToken cancellationToken)
    {
        _feed = feed;
        feed.SourcesChanged += OnSourcesChanged;
        if (history.Count > 0)
        {
            lock (_gate)
            {
                foreach (var line in history.OrderBy(l => l.Timestamp).TakeLast(Window)) Add(new LogRow(++_seq, line, AnsiText.Parse(line.Text), feed.SourceOf(line)));
            }
            ChangedRows();
        }
        Changed?.Invoke(); // the sources are known
        try
        {
            await ReadAsync(feed, cancellationToken);
        }
        finally
        {
            feed.Dispose(); // also when the page closed before the feed was handed over
        }
    }

    private async Task ReadAsync(LogFeed feed, CancellationToken cancellationToken)
    {
        await foreach (var batch in feed.ReadAsync(cancellationToken))
        {
            bool shown;
            lock (_gate)
            {
                shown = !Paused && batch.Lines.Count > 0;
                Skipped += batch.Skipped;
                Received += batch.Lines.Count;
                Gaps.AddRange(batch.Gaps);
                if (batch.Note is { } note) Notes.Add(note);
                foreach (var line in batch.Lines)
                {
                    var row = new LogRow(++_seq, line, AnsiText.Parse(line.Text), feed.SourceOf(line));
                    if (Paused) _pausedBuffer.Add(row);
                    else Add(row);
                }
                // The pause buffer is bounded like the window: beyond it, the oldest buffered lines go.
                if (_pausedBuffer.Count > Window) _pausedBuffer.RemoveRange(0, _pausedBuffer.Count - Window);
            }
            if (shown) ChangedRows();
            else Changed?.Invoke(); // counts and notes only: the rows shown are the same
        }
    }

    private void OnSourcesChanged() => Changed?.Invoke();

    private LogSourceInfo SourceOf(LogLine line) => _feed?.SourceOf(line) ?? new LogSourceInfo(line.Node, line.ContainerId, line.Node, line.Node, 0);

    /// <summary>
    /// In time order: sources deliver separately (a replica's first lines come as one batch), so a line can be older
    /// than the newest held; it goes in its place, found from the end, where lines nearly always go.
    /// </summary>
    private void Add(LogRow row)
    {
        Place(row);
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
        }
        ChangedRows();
    }

    /// <summary>Sets the search; a pattern that does not compile leaves the old one and sets <see cref="SearchError"/>.</summary>
    public void SetSearch(string? text, bool regex, bool caseSensitive, bool onlyMatching)
    {
        LogSearch? search = null;
        string? error = null;
        try
        {
            search = LogSearch.Create(text, regex, caseSensitive);
        }
        catch (InvalidRequestException ex)
        {
            error = ex.Message;
        }
        lock (_gate)
        {
            OnlyMatching = onlyMatching;
            SearchError = error;
            if (error is null) _search = search;
        }
        ChangedRows();
    }

    private void Place(LogRow row)
    {
        var after = _rows.Last;
        while (after is not null && after.Value.Line.Timestamp > row.Line.Timestamp) after = after.Previous;
        if (after is null) _rows.AddFirst(row);
        else _rows.AddAfter(after, row);
    }

    /// <summary>The visible lines as plain text (ANSI escapes removed): time (UTC), source, stream, text.</summary>
    public string VisibleAsText() => string.Join('\n', Visible.Select(r =>
        $"{r.Line.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ} {r.Source.Label} {(r.Line.Stream == LogStream.Stderr ? "stderr" : "stdout")} {AnsiText.Strip(r.Line.Text)}")) + "\n";

    public void Dispose()
    {
        _visible.Dispose();
        if (_feed is not null) _feed.SourcesChanged -= OnSourcesChanged;
        _feed?.Dispose();
    }
}
