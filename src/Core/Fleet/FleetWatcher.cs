using ControlPanel.Core.Common;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Follows every node's Docker events stream and turns container events into <see cref="FleetChange"/>s,
/// so pages update without polling. A broken stream is reconnected with doubling backoff, and the
/// node is resynchronised (its list re-read) each time the stream is (re)opened.
/// </summary>
public sealed class FleetWatcher(
    INodeDirectory directory,
    IContainerEngine engine,
    ContainerFactsCache facts,
    FleetState state,
    FleetChangeNotifier notifier,
    FleetOptions options,
    ILogger<FleetWatcher> logger)
{
    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, following the directory: a node that joins
    /// (Consul, an Admin) is watched at once, one that is removed or changes its endpoint is dropped or re-watched.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watching = new Dictionary<string, (NodeDefinition Node, CancellationTokenSource Stop, Task Loop)>(StringComparer.Ordinal);
        var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        directory.Changed += OnChanged;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // A node that left Consul's catalog is gone: reconnecting to it forever would only fill the log.
                var wanted = directory.GetNodes().Where(n => n.IsUsable && n.Availability != NodeAvailability.Left).ToDictionary(n => n.Name, StringComparer.Ordinal);
                foreach (var (name, watched) in watching.ToList())
                {
                    if (wanted.TryGetValue(name, out var node) && node.Endpoint == watched.Node.Endpoint && node.Tls == watched.Node.Tls) continue;
                    await watched.Stop.CancelAsync();
                    await watched.Loop;
                    watched.Stop.Dispose();
                    watching.Remove(name);
                    if (!wanted.ContainsKey(name)) Publish(new NodeRemoved(name));
                }
                foreach (var node in wanted.Values.Where(n => !watching.ContainsKey(n.Name)))
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    watching[node.Name] = (node, stop, WatchNodeAsync(node, stop.Token));
                }
                try
                {
                    await changed.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                while (changed.CurrentCount > 0) await changed.WaitAsync(CancellationToken.None); // one pass covers every change so far
            }
        }
        finally
        {
            directory.Changed -= OnChanged;
            await Task.WhenAll(watching.Values.Select(w => w.Loop));
            foreach (var w in watching.Values) w.Stop.Dispose();
        }
    }

    public async Task WatchNodeAsync(NodeDefinition node, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await FollowOnceAsync(node, () => delay = TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var reason = ex is ControlPanelException ? ex.Message : ex.GetBaseException().Message;
                logger.LogWarning("Event stream of node {Node} broke ({Reason}); reconnecting in {Delay}", node.Name, reason, delay);
                Publish(new NodeStreamLost(node.Name, reason, delay, NodeStreamLost.IsRefusal(ex)));
                try { await Task.Delay(delay, cancellationToken); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task FollowOnceAsync(NodeDefinition node, Action connected, CancellationToken cancellationToken)
    {
        // The stream is opened (its first read started) before the list is read, so nothing that happens while
        // the list is read is lost; replaying an event is harmless (each re-reads state). The engine queues what
        // arrives meanwhile, bounded: a burst beyond the bound comes out as one missed-events marker.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = engine.WatchEventsAsync(node, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = events.MoveNextAsync().AsTask();
        try
        {
            await ResyncAsync(node, cancellationToken);
            connected();
            while (await next)
            {
                var e = events.Current;
                if (e.IsMissed)
                {
                    logger.LogWarning("Node {Node} sent events faster than they could be applied; {Dropped} were dropped and the node is re-listed", node.Name, e.Dropped);
                    await ResyncAsync(node, cancellationToken);
                }
                else if (e.Type == "container")
                {
                    await ApplyContainerEventAsync(node, e, cancellationToken);
                }
                next = events.MoveNextAsync().AsTask();
            }
        }
        finally
        {
            // An iterator may only be disposed once its pending read has ended.
            await stop.CancelAsync();
            await Task.WhenAny(next);
            await events.DisposeAsync();
        }
        throw new EngineUnavailableException(node.Name, "the event stream ended");
    }

    private async Task ResyncAsync(NodeDefinition node, CancellationToken cancellationToken)
    {
        var rows = await engine.ListContainersAsync(node, cancellationToken);
        facts.Retain(node.Name, rows.Select(r => r.Id).ToHashSet());
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (row, ct) => await RefreshFactsAsync(node, row.Id, ct));
        Publish(new NodeResynced(node.Name, rows.Select(facts.Enrich).ToList()));
    }

    private async Task ApplyContainerEventAsync(NodeDefinition node, EngineEvent e, CancellationToken cancellationToken)
    {
        // exec_* and attach events say nothing about state; skip the extra engine calls.
        if (e.Action.StartsWith("exec_", StringComparison.Ordinal) || e.Action is "attach" or "resize" or "top" or "archive-path") return;
        if (e.Action == "destroy")
        {
            facts.Remove(node.Name, e.ActorId);
            Publish(new ContainerChanged(node.Name, e.ActorId, e.Action, null) { Event = e });
            return;
        }
        var summary = await engine.FindContainerAsync(node, e.ActorId, cancellationToken);
        if (summary is null) return; // already gone; its destroy event follows
        if (e.Action is "start" or "die" or "restart" or "create" or "oom" or "kill" or "stop" or "rename"
            && await RefreshFactsAsync(node, e.ActorId, cancellationToken) is { } inspected && inspected.State != summary.State)
        {
            // The engine's list is a copy of its containers that it updates just after sending the event (an OOM-killed
            // container was listed running after its die): inspect reads the container itself, so its state wins.
            summary = summary with { State = inspected.State, Health = inspected.Health, Status = StatusText(inspected) };
        }
        Publish(new ContainerChanged(node.Name, e.ActorId, e.Action, facts.Enrich(summary)) { Event = e });
    }

    /// <summary>The engine's own wording for a state it has only just entered.</summary>
    private static string StatusText(ContainerStatus inspected) => inspected.State switch
    {
        ContainerState.Running => "Up Less than a second",
        ContainerState.Exited => $"Exited ({inspected.ExitCode ?? 0}) Less than a second ago",
        _ => inspected.State.ToString(),
    };

    // The shared state is updated before subscribers hear of the change, so a page that opens
    // in between never sees an older state than the one it is told about.
    private void Publish(FleetChange change)
    {
        state.Apply(change);
        notifier.Publish(change);
    }

    /// <returns>What inspect says now; null when the container is gone.</returns>
    private async Task<ContainerStatus?> RefreshFactsAsync(NodeDefinition node, string id, CancellationToken cancellationToken)
    {
        try
        {
            var d = await engine.InspectStatusAsync(node, id, cancellationToken);
            facts.Set(node.Name, id, new ContainerFacts(d.StartedAt, d.RestartCount));
            return d;
        }
        catch (ContainerNotFoundException)
        {
            facts.Remove(node.Name, id);
            return null;
        }
    }
}
