using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Logs;

/// <summary>
/// Reads one container's log from its engine and fans each line out to its subscribers. When the
/// container stops, waits for its next start and continues from the last line seen; when it is removed,
/// or its node goes away, tells every subscriber and ends.
/// </summary>
internal sealed class LogFollower
{
    private const int RingLines = 1_000;
    private readonly NodeDefinition _node;
    private readonly FollowedContainer _container;
    private readonly ILogSource _source;
    private readonly FleetChangeNotifier _changes;
    private readonly Func<CancellationToken, Task<ContainerStatus?>> _inspect;
    private DateTimeOffset? _startedAt;
    // When the run followed ended, if it had already when the first viewer came; a restart makes it unknown again.
    private DateTimeOffset? _endedAt;
    private readonly ILogger _logger;
    private readonly Action _stopped;
    private readonly List<LogSubscription> _subscribers = [];
    private readonly Queue<LogLine> _recent = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _initialTail = RingLines;

    /// <param name="container">The container as inspected when the first viewer came.</param>
    /// <param name="inspect">The container now; null once it is removed.</param>
    public LogFollower(NodeDefinition node, FollowedContainer container, ILogSource source, FleetChangeNotifier changes,
        Func<CancellationToken, Task<ContainerStatus?>> inspect, ILogger logger, Action stopped)
    {
        (_node, _container, _source, _changes, _inspect, _logger, _stopped) = (node, container, source, changes, inspect, logger, stopped);
        _startedAt = container.StartedAt;
        _endedAt = container.FinishedAt is { } finished && finished >= container.StartedAt ? finished : null;
    }

    /// <summary>Completes once the engine's stream is open (or reading ended): what the container writes from then on reaches subscribers.</summary>
    public Task Opened => _opened.Task;

    public LogSubscription Join(int tail, int capacity, Action<LogSubscription> leave)
    {
        var subscription = new LogSubscription(capacity, leave);
        lock (_recent)
        {
            foreach (var line in _recent.Skip(Math.Max(0, _recent.Count - tail))) subscription.Offer(line);
            _subscribers.Add(subscription);
        }
        if (_subscribers.Count == 1)
        {
            // The first viewer's tail decides how much history the engine sends; later viewers get theirs from the ring.
            _initialTail = Math.Clamp(tail, 0, RingLines);
            _ = Task.Run(() => ReadAsync(_stop.Token)); // the engine stream's reader, until _stop; nothing awaits it
        }
        return subscription;
    }

    public void Leave(LogSubscription subscription)
    {
        lock (_recent) _subscribers.Remove(subscription);
        if (_subscribers.Count > 0) return;
        _stop.Cancel(); // the last viewer left: close the engine stream
        _stopped();
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var resume = new LogResumePoint();
        var query = new LogQuery(Tail: _initialTail);
        Telemetry.ControlPanelTelemetry.LogStreamOpened(_node.Name);
        try
        {
            if (_initialTail == 0) query = await StartAfterLastLineAsync(resume, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                await foreach (var line in _source.ReadAsync(_node, _container.Id, _container.Tty, query, cancellationToken, () => _opened.TrySetResult()))
                {
                    Telemetry.ControlPanelTelemetry.RecordLogLine(_node.Name);
                    if (resume.Repeats(line)) continue;
                    Publish(line);
                }
                // The engine closed a follow stream: the container stopped (or was removed).
                var (restarted, runEnded) = await WaitForRestartAsync(cancellationToken);
                if (!restarted) return;
                _endedAt = null; // a new run: its end is not known yet
                // Resume at the engine's own timestamps, never the panel's clock (nodes' clocks differ from it): after
                // the last line received, or, when none came, after the run followed ended (null: the whole log).
                query = new LogQuery(Tail: null, Since: resume.Since ?? runEnded);
                resume.Resuming();
                Notify("Container restarted; continuing.", ended: false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ContainerNotFoundException)
        {
            Notify("The container was removed; this log has ended.", ended: true);
        }
        catch (ControlPanelException ex)
        {
            _logger.LogWarning("Log stream of {Node}/{Container} ended: {Reason}", _node.Name, _container.Name, ex.Message);
            Notify($"Log stream of {_node.Name}/{_container.Name} ended: {ex.Message}", ended: true);
        }
        catch (Exception ex)
        {
            // Nothing awaits this loop: unless its viewers are told here, they wait for lines that never come.
            _logger.LogError(ex, "Log stream of {Node}/{Container} ended unexpectedly", _node.Name, _container.Name);
            Notify($"Log stream of {_node.Name}/{_container.Name} ended: {ex.Message}", ended: true);
        }
        finally
        {
            Telemetry.ControlPanelTelemetry.LogStreamClosed(_node.Name);
            _opened.TrySetResult();
            _stopped();
        }
    }

    /// <summary>
    /// A viewer who asked for no history still needs a place to resume from if the container restarts: without a
    /// line received, only the run's end was known, and the engine timestamps a run's last lines when it reads
    /// them, which on a loaded node is after the exit it records. So read the log's last line (not shown) and
    /// follow from it, as if it had been received.
    /// </summary>
    private async Task<LogQuery> StartAfterLastLineAsync(LogResumePoint resume, CancellationToken cancellationToken)
    {
        await foreach (var line in _source.ReadAsync(_node, _container.Id, _container.Tty, new LogQuery(Tail: 1, Follow: false), cancellationToken))
            resume.Repeats(line);
        if (resume.Since is not { } since) return new LogQuery(Tail: null); // empty a moment ago: all of it is new
        resume.Resuming();
        return new LogQuery(Tail: null, Since: since);
    }

    /// <summary>
    /// Restarted: true when the container started again; false when it was removed (subscribers told) or we were
    /// cancelled. RunEnded: where, by the engine's clock, the run followed ended (null: it never ran, or unknown).
    /// </summary>
    private async Task<(bool Restarted, DateTimeOffset? RunEnded)> WaitForRestartAsync(CancellationToken cancellationToken)
    {
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var followed = _startedAt;
        using var subscription = _changes.Subscribe(async change =>
        {
            if (change is ContainerChanged c && c.Node == _node.Name && c.Id == _container.Id)
            {
                if (c.Container is null) outcome.TrySetResult(false);
                else if (c.Action == "start" && outcome.TrySetResult(true) && c.Container.StartedAt is { } started) _startedAt = started;
            }
            // Changes were dropped for this subscriber (it fell behind): the start may have been one, so ask the engine.
            else if (change is FleetChangesMissed) await CheckStartedMeanwhileAsync(followed, outcome, cancellationToken);
        });
        using var registration = cancellationToken.Register(() => outcome.TrySetResult(false));
        Notify("Container stopped; waiting for it to start again.", ended: false);
        var runEnded = await CheckStartedMeanwhileAsync(followed, outcome, cancellationToken);
        var restarted = await outcome.Task;
        if (!restarted && !cancellationToken.IsCancellationRequested) Notify("The container was removed; this log has ended.", ended: true);
        return (restarted, runEnded);
    }

    /// <summary>
    /// A start between the engine ending the stream and the subscription above sends its event to nobody: so, once
    /// listening, ask the engine whether the container has started since the run followed. Returns when that run
    /// ended by the engine's clock; when a newer run hides that end, or the engine does not answer, the run's start:
    /// better to read its earlier lines again than to lose any.
    /// </summary>
    private async Task<DateTimeOffset?> CheckStartedMeanwhileAsync(DateTimeOffset? followed, TaskCompletionSource<bool> outcome, CancellationToken cancellationToken)
    {
        try
        {
            var now = await _inspect(cancellationToken);
            if (now is null)
            {
                outcome.TrySetResult(false);
                return followed;
            }
            // Newer than the run followed counts even if it already ended again (a short job, a crash): its lines are read from where we were.
            if (now.StartedAt is { } started && (followed is null || started > followed))
            {
                if (outcome.TrySetResult(true)) _startedAt = started;
                // The new run hides when the followed one ended: use the end known from the first viewer's inspect.
                return _endedAt ?? followed;
            }
            return now.FinishedAt ?? followed;
        }
        catch (ControlPanelException ex) when (ex is not ContainerNotFoundException)
        {
            return followed; // the node did not answer now; its events still will
        }
    }

    private void Publish(LogLine line)
    {
        lock (_recent)
        {
            _recent.Enqueue(line);
            if (_recent.Count > RingLines) _recent.Dequeue();
            foreach (var s in _subscribers) s.Offer(line);
        }
    }

    private void Notify(string note, bool ended)
    {
        lock (_recent) foreach (var s in _subscribers) s.Notify(note, ended);
    }
}

/// <summary>What a follower needs of its container, from the inspect its first viewer's subscribe made: no source asks again.</summary>
/// <param name="StartedAt">When the run being followed started (null: never started).</param>
/// <param name="FinishedAt">When its last run ended, by the engine's clock (as old as or older than <paramref name="StartedAt"/> while it runs).</param>
internal sealed record FollowedContainer(string Id, string Name, bool Tty, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt = null);
