using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Core.Tests.Logs;

/// <summary>The follower's own loop, over a log source of our own that fails the way nothing expects.</summary>
public sealed class LogFollowerTests
{
    private static readonly NodeDefinition Node = new("node1", "unix:///nowhere.sock", new Dictionary<string, string>());

    [Fact]
    public async Task ASourceFailingUnexpectedly_EndsTheLogWithANoteNamingIt_AndIsLoggedAsAnError()
    {
        var log = new ListLogger();
        var stopped = 0;
        var follower = new LogFollower(Node, new FollowedContainer("c0ffee", "web", Tty: false, StartedAt: null), new FailsAfterLines(2),
            new FleetChangeNotifier(new FleetOptions(), NullLogger<FleetChangeNotifier>.Instance), _ => Task.FromResult<ContainerStatus?>(null), log, () => Interlocked.Increment(ref stopped));
        using var subscription = follower.Join(tail: 10, capacity: 100, leave: _ => { });

        var batches = new List<LogBatch>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var batch in subscription.ReadBatchesAsync(TimeSpan.FromMilliseconds(10), 100, timeout.Token)) batches.Add(batch);

        Assert.Equal(["line 1", "line 2"], batches.SelectMany(b => b.Lines).Select(l => l.Text));
        Assert.True(batches[^1].Ended);
        Assert.Equal("Log stream of node1/web ended: the socket went away", batches[^1].Note);
        var (level, message, exception) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains("node1/web", message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(exception);
        Assert.Equal(1, stopped);
    }

    [Fact]
    public async Task ARestartAmongChangesDroppedForTheFollower_IsFoundByAskingTheEngine_AndTheNewRunFollowed()
    {
        var notifier = new FleetChangeNotifier(new FleetOptions(), NullLogger<FleetChangeNotifier>.Instance);
        var firstRun = DateTimeOffset.UnixEpoch.AddHours(1);
        var now = Status(firstRun);
        var follower = new LogFollower(Node, new FollowedContainer("c0ffee", "web", Tty: false, StartedAt: firstRun), new OneLinePerRun(),
            notifier, _ => Task.FromResult<ContainerStatus?>(now), NullLogger.Instance, () => { });
        using var subscription = follower.Join(tail: 10, capacity: 100, leave: _ => { });
        var texts = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reading = Task.Run(async () =>
        {
            await foreach (var batch in subscription.ReadBatchesAsync(TimeSpan.FromMilliseconds(10), 100, timeout.Token))
            {
                lock (texts) texts.AddRange(batch.Lines.Select(l => l.Text).Append(batch.Note ?? ""));
                if (batch.Lines.Any(l => l.Text == "run 2")) return;
            }
        });
        while (!texts.Contains("Container stopped; waiting for it to start again.") && !timeout.IsCancellationRequested) await Task.Delay(10);

        // It started again, but its "start" event was among the changes this follower fell too far behind to get.
        now = Status(firstRun.AddMinutes(1));
        notifier.Publish(new FleetChangesMissed(7));
        await reading;

        Assert.Equal(["run 1", "run 2"], texts.Where(t => t.StartsWith("run ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AContainerThatStoppedBeforeTheFirstViewer_AndRestartedBeforeTheFollowerLooked_ResumesAfterTheStoppedRunEnded()
    {
        var firstRun = DateTimeOffset.UnixEpoch.AddHours(1);
        var ended = firstRun.AddSeconds(3);
        var source = new RecordingQueries();
        // The engine answers with the new run already started: it hides when the first one ended.
        var follower = new LogFollower(Node, new FollowedContainer("c0ffee", "web", Tty: false, StartedAt: firstRun, FinishedAt: ended), source,
            new FleetChangeNotifier(new FleetOptions(), NullLogger<FleetChangeNotifier>.Instance), _ => Task.FromResult<ContainerStatus?>(Status(firstRun.AddMinutes(1))),
            NullLogger.Instance, () => { });

        using var subscription = follower.Join(tail: 0, capacity: 100, leave: _ => { });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (source.Follows.Count < 2 && !timeout.IsCancellationRequested) await Task.Delay(10);

        // The log was empty (the last-line read found nothing): the whole log, then from where the stopped run ended.
        Assert.Equal([1], source.Queries.Where(q => !q.Follow).Select(q => q.Tail));
        Assert.Equal([null, ended], source.Follows.Take(2).Select(q => q.Since));
    }

    [Fact]
    public async Task AViewerAskingForNoHistory_OfAStoppedContainer_ResumesAfterTheLogsLastLine_NotTheRecordedExit()
    {
        // A loaded engine timestamps a run's last lines when it reads them: after the exit it records.
        var firstRun = DateTimeOffset.UnixEpoch.AddHours(1);
        var exited = firstRun.AddSeconds(3);
        var lastLine = new LogLine("node1", "c0ffee", LogStream.Stdout, exited.AddMilliseconds(40), "run 1 last line");
        var source = new RecordingQueries(lastLine);
        var follower = new LogFollower(Node, new FollowedContainer("c0ffee", "web", Tty: false, StartedAt: firstRun, FinishedAt: exited), source,
            new FleetChangeNotifier(new FleetOptions(), NullLogger<FleetChangeNotifier>.Instance), _ => Task.FromResult<ContainerStatus?>(Status(firstRun.AddMinutes(1))),
            NullLogger.Instance, () => { });

        using var subscription = follower.Join(tail: 0, capacity: 100, leave: _ => { });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (source.Follows.Count < 2 && !timeout.IsCancellationRequested) await Task.Delay(10);

        Assert.Equal([lastLine.Timestamp, lastLine.Timestamp], source.Follows.Take(2).Select(q => q.Since));
        var shown = new List<string>();
        using var reading = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            await foreach (var batch in subscription.ReadBatchesAsync(TimeSpan.FromMilliseconds(10), 100, reading.Token)) shown.AddRange(batch.Lines.Select(l => l.Text));
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
        }
        Assert.Empty(shown); // the last line was where to start, never shown, though each follow read sent it again
    }

    /// <summary>
    /// Records what each read asked for. A read of the last line gives <paramref name="last"/> (if any); a follow
    /// read sends it again when asked from its moment (as the engine's 'since' includes it), then ends at once, as a
    /// stopped container's stream does; the second follow read stays open.
    /// </summary>
    private sealed class RecordingQueries(LogLine? last = null) : ILogSource
    {
        public ConcurrentQueue<LogQuery> Queries { get; } = new();
        public ConcurrentQueue<LogQuery> Follows { get; } = new();

        public async IAsyncEnumerable<LogLine> ReadAsync(NodeDefinition node, string containerId, bool tty, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken, Action? opened = null)
        {
            Queries.Enqueue(query);
            if (query.Follow) Follows.Enqueue(query);
            opened?.Invoke();
            if (last is not null && (!query.Follow || query.Since == last.Timestamp)) yield return last;
            if (!query.Follow) yield break;
            await Task.Delay(Follows.Count > 1 ? Timeout.Infinite : 0, cancellationToken);
        }
    }

    private static ContainerStatus Status(DateTimeOffset startedAt) =>
        new("c0ffee", "web", ContainerState.Exited, Running: false, ExitCode: 0, default, null, startedAt, 0, Tty: false, FinishedAt: startedAt.AddSeconds(1));

    /// <summary>Each read is one run of the container: one line, then the stream ends as the container stops.</summary>
    private sealed class OneLinePerRun : ILogSource
    {
        private int _runs;

        public async IAsyncEnumerable<LogLine> ReadAsync(NodeDefinition node, string containerId, bool tty, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken, Action? opened = null)
        {
            opened?.Invoke();
            await Task.Yield();
            var run = Interlocked.Increment(ref _runs);
            yield return new LogLine(node.Name, containerId, LogStream.Stdout, DateTimeOffset.UnixEpoch.AddHours(1).AddMinutes(run - 1), $"run {run}");
        }
    }

    /// <summary>Yields some lines, then throws what no engine error translation knows.</summary>
    private sealed class FailsAfterLines(int lines) : ILogSource
    {
        public async IAsyncEnumerable<LogLine> ReadAsync(NodeDefinition node, string containerId, bool tty, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken, Action? opened = null)
        {
            opened?.Invoke();
            for (var i = 1; i <= lines; i++)
            {
                await Task.Yield();
                yield return new LogLine(node.Name, containerId, LogStream.Stdout, DateTimeOffset.UnixEpoch.AddSeconds(i), $"line {i}");
            }
            throw new InvalidOperationException("the socket went away");
        }
    }

    private sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
