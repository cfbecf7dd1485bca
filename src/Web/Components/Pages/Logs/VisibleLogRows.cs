using System.Diagnostics;
using System.Threading.Channels;
using ControlPanel.Core.Common;
using ControlPanel.Core.Logs;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Web.Components.Pages.Logs;

/// <summary>What the view's rows depend on, copied under the view model's lock.</summary>
public sealed record LogRowsInput(IReadOnlyList<LogRow> Rows, LogSearch? Search, bool OnlyMatching);

/// <summary>The rows computed for the view; <paramref name="Note"/> says why they are not the whole answer (a search cut short, a view that stopped).</summary>
public sealed record LogRowsResult(IReadOnlyList<LogRow> Rows, string? Note)
{
    public static readonly LogRowsResult Empty = new(Array.Empty<LogRow>(), null);
}

/// <summary>
/// The rows a log view shows, computed in the background whenever lines or the search change, never while the page
/// renders: a search runs over up to 100,000 lines. One pass at a time; changes during a pass lead to one more.
/// A pass searches the newest lines first and stops at <see cref="Budget"/>, saying so, rather than hold the view up.
/// </summary>
public sealed class VisibleLogRows : IDisposable
{
    private readonly Func<LogRowsInput> _input;
    private readonly Action<LogSearch, InvalidRequestException> _searchRefused;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _passed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _requested;
    private long _computed;
    private int _started;

    /// <param name="input">Reads what the rows depend on, consistently (the caller's lock).</param>
    /// <param name="searchRefused">A search too slow on one line: the owner drops it and tells the person.</param>
    public VisibleLogRows(Func<LogRowsInput> input, Action<LogSearch, InvalidRequestException> searchRefused, ILogger logger) =>
        (_input, _searchRefused, _logger) = (input, searchRefused, logger);

    /// <summary>After each pass, from the background: the page renders <see cref="Current"/>.</summary>
    public event Action? Computed;

    /// <summary>Time one pass may search for.</summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The last computed rows; never computes.</summary>
    public LogRowsResult Current { get; private set; } = LogRowsResult.Empty;

    /// <summary>Something the rows depend on changed (call after the change).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _requested);
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = Task.Run(() => RunAsync(_disposed.Token)); // until Dispose
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Completes once <see cref="Current"/> reflects every change invalidated before this call.</summary>
    public async Task WhenCurrentAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _requested);
        while (true)
        {
            Task passed;
            lock (_gate)
            {
                if (_computed >= target) return;
                passed = _passed.Task;
            }
            await passed.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in _wake.Reader.ReadAllAsync(cancellationToken))
            {
                // Read before the input: every change counted here is already in it.
                var version = Interlocked.Read(ref _requested);
                var clock = Stopwatch.StartNew();
                Current = Compute(_input(), cancellationToken);
                TaskCompletionSource passed;
                lock (_gate)
                {
                    _computed = version;
                    passed = _passed;
                    _passed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                passed.TrySetResult();
                Computed?.Invoke();
                // A costly pass waits as long as it took before the next: a busy log and a slow search keep at most half a core.
                await Task.Delay(clock.Elapsed, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page closed.
        }
        catch (Exception ex)
        {
            // Nothing awaits this loop: the view says it stopped, and waiters are released, rather than go stale unseen.
            _logger.LogError(ex, "The log view stopped updating");
            Current = Current with { Note = $"This view stopped updating: {ex.Message} Reload the page." };
            lock (_gate) _passed.TrySetException(ex);
            Computed?.Invoke();
        }
    }

    private LogRowsResult Compute(LogRowsInput input, CancellationToken cancellationToken)
    {
        if (!input.OnlyMatching || input.Search is not { } search) return new LogRowsResult(input.Rows, null);
        var deadline = Stopwatch.GetTimestamp() + (long)(Budget.TotalSeconds * Stopwatch.Frequency);
        var matched = new List<LogRow>();
        var rows = input.Rows;
        try
        {
            // Newest first: when the pass is cut short, what it found is the part a person looks at.
            for (var i = rows.Count - 1; i >= 0; i--)
            {
                if (search.Matches(rows[i].Line.Text)) matched.Add(rows[i]);
                if ((i & 0xFF) != 0) continue;
                cancellationToken.ThrowIfCancellationRequested();
                if (Stopwatch.GetTimestamp() > deadline && i > 0)
                {
                    matched.Reverse();
                    var searched = rows.Count - i;
                    return new LogRowsResult(matched,
                        $"Search cut short after {Duration(Budget)}: showing matches among the newest {searched:N0} of {rows.Count:N0} lines. Narrow the search or the window to search them all.");
                }
            }
        }
        catch (InvalidRequestException ex)
        {
            _searchRefused(search, ex);
            return new LogRowsResult(rows, null);
        }
        matched.Reverse();
        return new LogRowsResult(matched, null);
    }

    private static string Duration(TimeSpan t) => t < TimeSpan.FromSeconds(1) ? $"{t.TotalMilliseconds:0} ms" : $"{t.TotalSeconds:0.#} s";

    public void Dispose()
    {
        _disposed.Cancel();
        _wake.Writer.TryComplete();
    }
}
