using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>
/// Bursts of real engine events (a container renamed a thousand times or more, each a "rename" event) against a
/// queue bound set small, so the burst overflows it: memory stays bounded and the watcher re-lists the node instead of
/// working through a backlog.
/// </summary>
public sealed class EngineEventBurstTests : EngineTestBase
{
    private const int Bound = 50;
    private readonly NodeDefinition _node = Lab.SharedNodes[2];

    public EngineEventBurstTests() => Services.Options.EventQueueCapacity = Bound;

    private Task<string> SleeperAsync(string name, bool start = true) =>
        Containers.RunAsync(_node, "busybox", name, start: start, shellCommand: "exec sleep 3600");

    // A rename is the cheapest event an engine reports: no process is touched, only the container's record.
    private Task BurstAsync(string id, int events) =>
        Parallel.ForEachAsync(Enumerable.Range(0, events), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, ct) => await Containers.Client(_node).Containers.RenameContainerAsync(
                id, new ContainerRenameParameters { NewName = $"{Containers.RunId}-burst-{i}" }, ct));

    [Fact]
    public async Task WatchEvents_ReaderStalledThroughABurst_GetsAMissedMarkerInsteadOfABacklog()
    {
        const int burst = 1_000;
        var target = await SleeperAsync("target");
        using var stop = new CancellationTokenSource();
        var events = Services.Engine.WatchEventsAsync(_node, stop.Token).GetAsyncEnumerator(stop.Token);
        Task<bool>? pending = null;
        try
        {
            // One event read proves the stream is open; then the reader stalls through the burst.
            var first = events.MoveNextAsync().AsTask();
            var probes = 0;
            await LabContainers.WaitUntilAsync(async () => { await BurstProbeAsync(target, probes++); return first.IsCompleted; },
                TimeSpan.FromSeconds(30), "the event stream to open");
            Assert.True(await first);
            await BurstAsync(target, burst);
            var end = await SleeperAsync("end", start: false);

            int renames = 0, dropped = 0, markers = 0;
            while (true)
            {
                // The end container's own event may be among those dropped (the queue is full when it is created): once
                // every burst event is accounted for, a quiet stream also ends the read instead of waiting forever.
                pending = events.MoveNextAsync().AsTask();
                var quiet = TimeSpan.FromSeconds(renames + dropped >= burst ? 5 : 60);
                if (await Task.WhenAny(pending, Task.Delay(quiet)) != pending) break;
                var more = await pending;
                pending = null;
                if (!more || events.Current.ActorId == end) break;
                var e = events.Current;
                if (e.IsMissed) { markers++; dropped += e.Dropped; }
                else if (e.ActorId == target && e.Action == "rename") renames++;
            }

            Assert.True(markers >= 1, "the stalled reader was not told that events were dropped");
            Assert.True(renames < burst, $"all {burst} events were queued for the stalled reader");
            // Nothing lost uncounted: every rename was either delivered or counted in a marker (which may also count other tests' events).
            Assert.True(renames + dropped >= burst, $"{burst - renames - dropped} events vanished without a marker");
            Assert.InRange(Services.Engine.EventQueueHighWater, 1, Bound);
        }
        finally
        {
            await stop.CancelAsync();
            // An iterator may only be disposed once its pending read has ended.
            if (pending is not null) try { await pending; } catch (OperationCanceledException) { }
            try { await events.DisposeAsync(); } catch (OperationCanceledException) { }
        }
    }

    [Fact]
    public async Task Watcher_BurstBeyondTheBound_EndsInAResyncWithTheRightState()
    {
        // 40 times the bound: as a burst of 10,000 is to the default bound of 1,000, with room to spare.
        const int burst = 2_000;
        var changes = new ConcurrentQueue<FleetChange>();
        using var subscription = Services.Notifier.Subscribe(c => { changes.Enqueue(c); return Task.CompletedTask; });
        using var stop = new CancellationTokenSource();
        var watching = Services.Watcher.WatchNodeAsync(_node, stop.Token);
        try
        {
            await LabContainers.WaitUntilAsync(() => Task.FromResult(Services.State.Find(_node.Name) is not null), TimeSpan.FromSeconds(30), "the first listing");
            var target = await SleeperAsync("target");
            var doomed = await SleeperAsync("doomed", start: false);
            var resyncsBefore = changes.Count(c => c is NodeResynced);

            // Changes in the middle of the burst must still be right once it is over.
            var bursting = BurstAsync(target, burst);
            var late = await SleeperAsync("late");
            await Services.Engine.RemoveAsync(_node, doomed, force: true, default);
            await bursting;
            await Services.Engine.StopAsync(_node, target, TimeSpan.Zero, default);

            // The state settles to what the engine says about this test's containers.
            await LabContainers.WaitUntilAsync(async () =>
            {
                var engine = Mine(await Services.Engine.ListContainersAsync(_node, default));
                var state = Mine(Services.State.Find(_node.Name)?.Containers.Values ?? []);
                return engine.SetEquals(state);
            }, TimeSpan.FromSeconds(60), "the fleet state to match the engine");
            var mine = Mine(Services.State.Find(_node.Name)!.Containers.Values);
            Assert.Equal([(target, ContainerState.Exited), (late, ContainerState.Running)], mine.OrderBy(m => m.Id == late));

            Assert.True(changes.Count(c => c is NodeResynced) > resyncsBefore, "the burst did not end in a resync");
            Assert.True(Services.Engine.EventQueueOverflows >= 1, "the burst never overflowed the queue");
            Assert.InRange(Services.Engine.EventQueueHighWater, 1, Bound);
            var applied = changes.Count(c => c is ContainerChanged cc && cc.Id == target);
            Assert.True(applied < burst, $"the watcher worked through a backlog of {applied} events");
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
        }
    }

    private Task BurstProbeAsync(string id, int i) => Containers.Client(_node).Containers.RenameContainerAsync(
        id, new ContainerRenameParameters { NewName = $"{Containers.RunId}-probe-{i}" }, default);

    private HashSet<(string Id, ContainerState State)> Mine(IEnumerable<ContainerSummary> rows) =>
        rows.Where(c => c.Labels.GetValueOrDefault(LabContainers.RunLabel) == Containers.RunId).Select(c => (c.Id, c.State)).ToHashSet();
}
