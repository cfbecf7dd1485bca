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
            new FleetChangeNotifier(NullLogger<FleetChangeNotifier>.Instance), _ => Task.FromResult<ContainerDetails?>(null), log, () => Interlocked.Increment(ref stopped));
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
