using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>Runs against the lab's disruptable node: this test restarts its engine.</summary>
public sealed class FleetWatcherTests : IAsyncLifetime
{
    private readonly LabContainers _lab = new();
    private readonly NodeDefinition _node = Lab.DisruptableNode;
    private readonly LabServices _services = new([Lab.DisruptableNode]);
    private readonly ConcurrentQueue<FleetChange> _changes = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _services.Notifier.Subscribe(c => { _changes.Enqueue(c); return Task.CompletedTask; });
        _watching = _services.Watcher.WatchNodeAsync(_node, _stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await _lab.DisposeAsync();
        _services.Dispose();
    }

    [Fact]
    public async Task Watcher_TurnsEventsIntoChanges_AndResyncsAfterTheEngineRestarts()
    {
        await WaitForAsync<NodeResynced>(_ => true, "the first resync");
        var port = LabContainers.NextPort();
        var id = await _lab.RunAsync(_node, "web", "watched", new Dictionary<string, string> { ["PORT"] = port.ToString() });

        var started = await WaitForAsync<ContainerChanged>(c => c.Id == id && c.Action == "start", "the start event");
        Assert.Equal(ContainerState.Running, started.Container!.State);
        Assert.Equal(0, started.Container.RestartCount);
        Assert.NotNull(started.Container.StartedAt);

        // Kill the engine under the watcher: the stream breaks, the watcher reconnects and resyncs.
        _changes.Clear();
        await RunLabAsync("restart-node", _node.Name["node".Length..]);
        var lost = await WaitForAsync<NodeStreamLost>(_ => true, "the stream to be reported lost");
        Assert.Equal(_node.Name, lost.Node);
        var resynced = await WaitForAsync<NodeResynced>(_ => true, "the resync after reconnecting", TimeSpan.FromSeconds(30));
        var mine = Assert.Single(resynced.Containers, c => c.Id == id);
        Assert.NotEqual(ContainerState.Running, mine.State); // containers die with their engine

        // The new stream delivers events again.
        await _services.Engine.StartAsync(_node, id, default);
        var again = await WaitForAsync<ContainerChanged>(c => c.Id == id && c.Action == "start", "a start event on the new stream");
        Assert.Equal(ContainerState.Running, again.Container!.State);

        await _services.Engine.RemoveAsync(_node, id, force: true, default);
        var gone = await WaitForAsync<ContainerChanged>(c => c.Id == id && c.Action == "destroy", "the destroy event");
        Assert.Null(gone.Container);
    }

    [Fact]
    public async Task AnOomKilledContainer_IsExitedInItsDieChange_NotStillRunning()
    {
        await WaitForAsync<NodeResynced>(_ => true, "the first resync");
        var id = await MisbehavingContainers.RunOomAsync(_lab, _node, "oom-watched");

        // The engine reports oom, then die; its list may still say running just then, which the die change must not repeat.
        var died = await WaitForAsync<ContainerChanged>(c => c.Id == id && c.Action == "die", "the die event", TimeSpan.FromSeconds(60));
        Assert.Equal(ContainerState.Exited, died.Container!.State);
        Assert.StartsWith("Exited (137)", died.Container.Status, StringComparison.Ordinal);
    }

    private async Task<T> WaitForAsync<T>(Func<T, bool> match, string what, TimeSpan? timeout = null) where T : FleetChange
    {
        T? found = null;
        await LabContainers.WaitUntilAsync(() =>
        {
            found = _changes.OfType<T>().FirstOrDefault(match);
            return Task.FromResult(found is not null);
        }, timeout ?? TimeSpan.FromSeconds(15), what);
        return found!;
    }

    private static async Task RunLabAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Lab.Current.Script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"scripts/lab {string.Join(' ', args)} failed: {await stderr}");
    }
}
