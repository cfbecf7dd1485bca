using ControlPanel.Core.Fleet;
using ControlPanel.Core.Timeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Core.Tests.Timeline;

public class EngineEventRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private readonly ListTimeline _timeline = new();
    private readonly EngineEventRecorder _recorder;

    public EngineEventRecorderTests() =>
        _recorder = new EngineEventRecorder(new FleetChangeNotifier(new FleetOptions(), NullLogger<FleetChangeNotifier>.Instance), _timeline, TimeProvider.System, NullLogger<EngineEventRecorder>.Instance);

    private Task Engine(string action, double seconds, Dictionary<string, string>? attributes = null, string id = "c1") =>
        _recorder.RecordAsync(new ContainerChanged("node1", id, action, null)
        {
            Event = new EngineEvent("node1", "container", action, id, T0.AddSeconds(seconds))
            {
                Attributes = new Dictionary<string, string>(attributes ?? []) { ["name"] = "api-1", ["controlpanel.service"] = "api", ["controlpanel.release"] = "4" },
            },
        }, default);

    [Fact]
    public async Task AnOomEvent_AndTheDeathThatFollows_AreOneOomKilledEntryWithTheExitCode()
    {
        await Engine("oom", 0);
        await Engine("die", 0.1, new() { ["exitCode"] = "137" });

        var entry = Assert.Single(_timeline.Entries);
        Assert.Equal(FleetEventKind.OomKilled, entry.Kind);
        Assert.Equal(137, entry.ExitCode);
        Assert.Equal("api", entry.Service);
        Assert.Equal(4, entry.Release);
        Assert.Equal("api-1", entry.ContainerName);
    }

    [Fact]
    public async Task AStartAfterADeath_IsARestart_ButNotAfterAStopSomeoneAskedFor()
    {
        await Engine("die", 0, new() { ["exitCode"] = "3" });
        await Engine("start", 1);
        await Engine("kill", 10, new() { ["signal"] = "15" });
        await Engine("die", 11, new() { ["exitCode"] = "0" });
        await Engine("stop", 11.1);
        await Engine("start", 20);

        Assert.Equal([FleetEventKind.ContainerDied, FleetEventKind.ContainerRestarted, FleetEventKind.ContainerKilled, FleetEventKind.ContainerDied],
            _timeline.Entries.Select(e => e.Kind));
        Assert.Equal("sent signal 15 (SIGTERM)", _timeline.Entries[2].Summary);
        Assert.Equal("restarted after exiting with code 3", _timeline.Entries[1].Summary);
    }

    [Fact]
    public async Task HealthStatusEvents_AreHealthChanges()
    {
        await Engine("health_status: unhealthy", 0);
        Assert.Equal("health: unhealthy", Assert.Single(_timeline.Entries, e => e.Kind == FleetEventKind.HealthChanged).Summary);
    }

    [Fact]
    public async Task ANodeOutage_IsOneUnreachableEntry_HoweverManyRetries_AndOneReachableAgain()
    {
        await _recorder.RecordAsync(new NodeResynced("node2", []), default); // the first connection is no recovery
        for (var retry = 0; retry < 5; retry++) await _recorder.RecordAsync(new NodeStreamLost("node2", "connection refused", TimeSpan.FromSeconds(1)), default);
        await _recorder.RecordAsync(new NodeResynced("node2", []), default);
        await _recorder.RecordAsync(new NodeResynced("node2", []), default);

        Assert.Equal([FleetEventKind.NodeUnreachable, FleetEventKind.NodeReachable], _timeline.Entries.Select(e => e.Kind));
        Assert.Contains("connection refused", _timeline.Entries[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutageWhereTheEngineRefusedConnections_EndsAsOneEngineRestartedEntry()
    {
        await _recorder.RecordAsync(new NodeResynced("node3", []), default);
        await _recorder.RecordAsync(new NodeStreamLost("node3", "the event stream ended", TimeSpan.FromSeconds(1)), default);
        for (var retry = 0; retry < 3; retry++)
            await _recorder.RecordAsync(new NodeStreamLost("node3", "connection refused", TimeSpan.FromSeconds(1), EngineRefused: true), default);
        await _recorder.RecordAsync(new NodeResynced("node3", []), default);
        // The next outage starts afresh: a network that drops the stream is no engine restart.
        await _recorder.RecordAsync(new NodeStreamLost("node3", "timed out", TimeSpan.FromSeconds(1)), default);
        await _recorder.RecordAsync(new NodeResynced("node3", []), default);

        Assert.Equal([FleetEventKind.NodeUnreachable, FleetEventKind.EngineRestarted, FleetEventKind.NodeUnreachable, FleetEventKind.NodeReachable],
            _timeline.Entries.Select(e => e.Kind));
        Assert.Contains("restarted", _timeline.Entries[1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusal_IsAConnectionRefusedAnywhereInTheChain_OrAMissingEngineSocket()
    {
        var refused = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        Assert.True(NodeStreamLost.IsRefusal(new Common.EngineUnavailableException("n", "x", new HttpRequestException("x", refused))));
        Assert.True(NodeStreamLost.IsRefusal(new Common.EngineUnavailableException("n", "no Docker socket") { EngineRefused = true }));
        Assert.False(NodeStreamLost.IsRefusal(new Common.EngineUnavailableException("n", "no answer within 5 s")));
        Assert.False(NodeStreamLost.IsRefusal(new HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut))));
    }

    /// <summary>Keeps what is recorded, in order, without folding (folding has its own tests).</summary>
    private sealed class ListTimeline : ITimeline
    {
        public List<FleetEvent> Entries { get; } = [];

        public Task<FleetEvent> RecordAsync(FleetEvent entry, CancellationToken cancellationToken)
        {
            Entries.Add(entry);
            return Task.FromResult(entry);
        }

        public Task<IReadOnlyList<FleetEvent>> QueryAsync(TimelineQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<FleetEvent>>(Entries);
    }
}
