using System.Collections.Concurrent;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests.Logs;

/// <summary>Real logger containers on the lab nodes, followed through the shared followers.</summary>
public sealed class LogFollowersTests : EngineTestBase
{
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;

    public override Task InitializeAsync()
    {
        _watching = Services.Watcher.RunAsync(_stop.Token); // restarts and removals reach followers as fleet changes
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await base.DisposeAsync();
    }

    private static Dictionary<string, string> Logger(string prefix, int rate, int count, string stream = "stdout") =>
        new() { ["PREFIX"] = prefix, ["RATE"] = rate.ToString(), ["COUNT"] = count.ToString(), ["STREAM"] = stream };

    /// <summary>Reads batches until <paramref name="done"/> or the timeout; <paramref name="received"/>, when given, also gets each batch as it arrives, for a test to watch meanwhile.</summary>
    private static async Task<List<LogBatch>> ReadUntilAsync(LogSubscription s, Func<List<LogBatch>, bool> done, TimeSpan timeout, ConcurrentQueue<LogBatch>? received = null)
    {
        var batches = new List<LogBatch>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var b in s.ReadBatchesAsync(TimeSpan.FromMilliseconds(100), 1000, cts.Token))
            {
                batches.Add(b);
                received?.Enqueue(b);
                if (done(batches)) break;
            }
        }
        catch (OperationCanceledException)
        {
            // Timed out: the assertions below say what was missing.
        }
        return batches;
    }

    [Fact]
    public async Task ThreeNodes_MergedByTimestamp_EachLineFromItsSource()
    {
        var ids = new List<(NodeDefinition Node, string Id)>();
        foreach (var node in Lab.SharedNodes) ids.Add((node, await Containers.RunAsync(node, "logger", $"merge-{node.Name}", Logger(node.Name, 20, 30, "both"))));
        var subscriptions = new List<LogSubscription>();
        foreach (var (node, id) in ids) subscriptions.Add(await Services.Logs.SubscribeAsync(node.Name, id, 100, default));

        var lines = new List<LogLine>();
        foreach (var s in subscriptions) lines.AddRange((await ReadUntilAsync(s, b => b.Sum(x => x.Lines.Count) >= 30, TimeSpan.FromSeconds(15))).SelectMany(b => b.Lines));
        var merged = lines.OrderBy(l => l.Timestamp).ToList();

        Assert.Equal(90, merged.Count);
        foreach (var (node, id) in ids)
        {
            var mine = merged.Where(l => l.ContainerId == id).ToList();
            Assert.Equal(30, mine.Count);
            Assert.All(mine, l => Assert.Equal(node.Name, l.Node));
            Assert.All(mine, l => Assert.StartsWith(node.Name + " ", l.Text, StringComparison.Ordinal));
            // Within a stream the merge keeps the container's own order (numbered lines). Across its stdout and stderr
            // it cannot: the engine reads the two pipes apart and stamps each line when it reads it.
            Assert.Equal(Enumerable.Range(1, 30), mine.Select(l => int.Parse(l.Text.Split(' ')[1])).Order());
            foreach (var stream in mine.GroupBy(l => l.Stream))
            {
                var numbers = stream.Select(l => int.Parse(l.Text.Split(' ')[1])).ToList();
                Assert.Equal(numbers.Order(), numbers);
            }
            Assert.Contains(mine, l => l.Stream == LogStream.Stderr);
            Assert.Contains(mine, l => l.Stream == LogStream.Stdout);
        }
        Assert.True(merged.Zip(merged.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp));
        foreach (var s in subscriptions) s.Dispose();
    }

    [Fact]
    public async Task TwoViewers_ShareOneEngineStream_AndTheLastToLeaveClosesIt()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "logger", "shared", Logger("shared", 10, 0));
        var before = Services.Logs.OpenStreams;
        using (var first = await Services.Logs.SubscribeAsync(node.Name, id, 10, default))
        using (var second = await Services.Logs.SubscribeAsync(node.Name, id, 10, default))
        {
            Assert.Equal(before + 1, Services.Logs.OpenStreams);
            var a = await ReadUntilAsync(first, b => b.Sum(x => x.Lines.Count) >= 5, TimeSpan.FromSeconds(10));
            var b = await ReadUntilAsync(second, b => b.Sum(x => x.Lines.Count) >= 5, TimeSpan.FromSeconds(10));
            Assert.True(a.Sum(x => x.Lines.Count) >= 5 && b.Sum(x => x.Lines.Count) >= 5);
        }
        Assert.Equal(before, Services.Logs.OpenStreams);
    }

    [Fact]
    public async Task RemovedContainer_EndsTheStreamWithANote_RestartedOneContinues()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "logger", "lifecycle", Logger("life", 20, 0));
        using var subscription = await Services.Logs.SubscribeAsync(node.Name, id, 10, default);
        var received = new ConcurrentQueue<LogBatch>();
        var reading = ReadUntilAsync(subscription, b => b.Any(x => x.Ended), TimeSpan.FromSeconds(40), received);

        await LabContainers.WaitUntilAsync(() => Task.FromResult(received.ToArray().Sum(b => b.Lines.Count) >= 5), TimeSpan.FromSeconds(15), "5 lines before the restart");
        await Services.Engine.RestartAsync(node, id, TimeSpan.FromSeconds(2), default);
        await LabContainers.WaitUntilAsync(() => Task.FromResult(LinesAfterTheRestartNote(received.ToArray()) >= 5), TimeSpan.FromSeconds(20), "5 lines after the 'restarted' note");
        await Services.Engine.RemoveAsync(node, id, force: true, default);

        var batches = await reading;
        var notes = batches.Where(b => b.Note is not null).Select(b => b.Note!).ToList();
        Assert.Contains(notes, n => n.Contains("restarted", StringComparison.Ordinal));
        Assert.Contains("The container was removed; this log has ended.", notes);
        Assert.True(batches[^1].Ended);
        var afterRestart = LinesAfterTheRestartNote(batches);
        Assert.True(afterRestart >= 5, $"lines kept coming after the restart: {afterRestart}");
    }

    /// <summary>Lines delivered after the "restarted" note (a note's own batch holds the lines read before it).</summary>
    private static int LinesAfterTheRestartNote(IEnumerable<LogBatch> batches) =>
        batches.SkipWhile(b => b.Note?.Contains("restarted", StringComparison.Ordinal) != true).Skip(1).Sum(b => b.Lines.Count);

    [Fact]
    public async Task SlowViewer_SkippedCount_IsWrittenMinusDelivered()
    {
        var node = Lab.SharedNodes[2];
        const int written = 3000;
        var id = await Containers.RunAsync(node, "logger", "flood", Logger("flood", 0, written), start: false);
        // A queue of 100 that nobody reads while the container writes: most lines must be skipped, and counted.
        using var subscription = await Services.Logs.SubscribeAsync(node.Name, id, 0, default, capacity: 100);
        await Services.Engine.StartAsync(node, id, default);
        await LabContainers.WaitUntilAsync(async () =>
            (await Containers.Client(node).Containers.GetContainerLogsAsync(id, new global::Docker.DotNet.Models.ContainerLogsParameters { ShowStdout = true, Tail = "1" }, default)
                is var s && (await s.ReadOutputToEndAsync(default)).stdout.Contains($"flood {written} ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "all lines written");
        await Task.Delay(500);

        var batches = await ReadUntilAsync(subscription, b => b.Sum(x => x.Lines.Count) + b.Sum(x => x.Skipped) >= written, TimeSpan.FromSeconds(10));

        var delivered = batches.Sum(b => b.Lines.Count(l => l.Text.StartsWith("flood ", StringComparison.Ordinal)));
        var skipped = batches.Sum(b => b.Skipped);
        Assert.Equal(written, delivered + skipped);
        Assert.True(skipped > 0);
        Assert.Equal(subscription.Skipped, skipped);
    }

    [Fact]
    public async Task ContainerStartedTheMomentItIsSubscribed_IsFollowed_EvenWhenItsStartEventCameBeforeTheFollowerListened()
    {
        // Started at once: the engine's stream of the not-yet-started container ends, and the start often happens
        // before the follower listens for fleet changes. Several rounds, as the race is a matter of milliseconds.
        var node = Lab.SharedNodes[1];
        for (var round = 0; round < 4; round++)
        {
            var id = await Containers.RunAsync(node, "logger", $"instant-{round}", Logger($"instant{round}", 0, 5), start: false);
            using var subscription = await Services.Logs.SubscribeAsync(node.Name, id, 10, default);
            await Services.Engine.StartAsync(node, id, default);

            var batches = await ReadUntilAsync(subscription, b => b.Sum(x => x.Lines.Count(l => l.Text.StartsWith($"instant{round} ", StringComparison.Ordinal))) >= 5, TimeSpan.FromSeconds(20));

            Assert.Equal(5, batches.Sum(b => b.Lines.Count(l => l.Text.StartsWith($"instant{round} ", StringComparison.Ordinal))));
        }
    }

    [Fact]
    public async Task Restarts_ResumeAtTheEnginesTimestamps_NoLineLostOrRepeated_NorOlderRunsShown()
    {
        // Each run writes five numbered lines and exits; a file in the container counts the runs.
        const string runs = "n=$(cat /runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > /runs; for i in 1 2 3 4 5; do echo run$n line$i; done";
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "busybox", "resume", shellCommand: runs);
        await LabContainers.WaitUntilAsync(async () => (await Containers.InspectAsync(node, id)).State?.Running == false, TimeSpan.FromSeconds(15), "the first run to end");
        // No history, and the container stopped: the engine closes the stream before any line. Run 1's lines were
        // written less than a second ago, so resuming by the panel's clock (less a margin) showed them again.
        using var subscription = await Services.Logs.SubscribeAsync(node.Name, id, 0, default);
        var received = new ConcurrentQueue<LogBatch>();
        var reading = ReadUntilAsync(subscription, b => Texts(b).Count >= 10, TimeSpan.FromSeconds(40), received);

        await Services.Engine.StartAsync(node, id, default);
        await LabContainers.WaitUntilAsync(() => Task.FromResult(Texts(received).Count >= 5), TimeSpan.FromSeconds(20), "run 2's lines");
        await LabContainers.WaitUntilAsync(async () => (await Containers.InspectAsync(node, id)).State?.Running == false, TimeSpan.FromSeconds(15), "the second run to end");
        await Services.Engine.StartAsync(node, id, default);

        var lines = Texts(await reading);
        Assert.Equal(["run2 line1", "run2 line2", "run2 line3", "run2 line4", "run2 line5", "run3 line1", "run3 line2", "run3 line3", "run3 line4", "run3 line5"], lines);
    }

    private static List<string> Texts(IEnumerable<LogBatch> batches) => batches.SelectMany(b => b.Lines).Select(l => l.Text).ToList();

    [Fact]
    public async Task UnknownContainer_IsNotFound_AndBadRangeIsRefused()
    {
        await Assert.ThrowsAsync<ContainerNotFoundException>(() => Services.Logs.SubscribeAsync("node1", "no-such-container", 10, default));
        var ex = Assert.Throws<InvalidRequestException>(() => new LogQuery(Since: DateTimeOffset.UtcNow, Until: DateTimeOffset.UtcNow.AddHours(-1), Follow: false).Validated());
        Assert.Equal("since", ex.Field);
    }
}
