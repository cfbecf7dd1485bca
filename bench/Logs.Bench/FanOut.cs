using ControlPanel.Core.Logs;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Bench;

/// <summary>
/// 20 viewers on 20 containers, twice over (40 subscriptions): the panel's memory per followed stream
/// and the number of engine streams it opens.
/// </summary>
public static class FanOut
{
    public static async Task RunAsync(PanelFactory panel, LabContainers lab)
    {
        var followers = panel.Services.GetRequiredService<LogFollowers>();
        var containers = new List<(string Node, string Id)>();
        for (var i = 0; i < 20; i++)
        {
            var node = Lab.SharedNodes[i % Lab.SharedNodes.Count];
            containers.Add((node.Name, await lab.RunAsync(node, "logger", $"fanout-{i}", new Dictionary<string, string> { ["PREFIX"] = $"c{i}", ["RATE"] = "50" })));
        }
        await Task.Delay(2000);
        var before = Memory();
        var streamsBefore = followers.OpenStreams;
        using var stop = new CancellationTokenSource();
        var subscriptions = new List<LogSubscription>();
        foreach (var viewer in Enumerable.Range(0, 2))
            foreach (var (node, id) in containers) subscriptions.Add(await followers.SubscribeAsync(node, id, 100, stop.Token));
        var delivered = 0L;
        var readers = subscriptions.Select(s => Task.Run(async () =>
        {
            try { await foreach (var b in s.ReadBatchesAsync(TimeSpan.FromMilliseconds(100), 1000, stop.Token)) Interlocked.Add(ref delivered, b.Lines.Count); }
            catch (OperationCanceledException) { }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(15));
        var after = Memory();
        var streams = followers.OpenStreams - streamsBefore;
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        foreach (var s in subscriptions) s.Dispose();
        Console.WriteLine($"fan-out: {subscriptions.Count} viewers on {containers.Count} containers (50 lines/s each) for 15 s: " +
            $"{streams} engine log streams open; {delivered} lines delivered; managed heap +{(after - before) / 1024.0:0} KB " +
            $"= {(after - before) / 1024.0 / containers.Count:0.0} KB per followed stream (target ≤ 512 KB)");
    }

    // After a full collection: what stays allocated, not what is garbage waiting.
    private static long Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
