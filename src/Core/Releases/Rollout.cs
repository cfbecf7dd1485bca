using System.Collections.Concurrent;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;

namespace ControlPanel.Core.Releases;

/// <summary>Everything a rollout needs, decided before it starts.</summary>
/// <param name="OnlyContainer">A restart of this one replica (an on-call safe restart); null: every replica.</param>
/// <param name="Leaving">Nodes being drained: no replica is placed there, and those that run there are retired once the other nodes' are in place.</param>
/// <param name="Holding">Cordoned nodes the placement matches: untouched, but the ports their replicas hold stay taken.</param>
public sealed record DeploymentPlan(Deployment Deployment, Release Target, Release? Previous, IReadOnlyList<NodeDefinition> Nodes, RegistryCredentials? Credentials, string? OnlyContainer = null,
    IReadOnlyList<NodeDefinition>? Leaving = null, IReadOnlyList<NodeDefinition>? Holding = null)
{
    public IReadOnlyList<NodeDefinition> LeavingNodes => Leaving ?? [];
    public IReadOnlyList<NodeDefinition> HoldingNodes => Holding ?? [];
}

/// <summary>
/// Applies a release: reads what runs, pre-pulls on every node in parallel, then replaces replicas batch by batch
/// under the update policy, and on failure restores the replicas it changed (or pauses). Every step is stored
/// before its Docker side effect, with its duration after. Never throws: the outcome is the returned status.
/// </summary>
public sealed class Rollout(IContainerEngine containers, ReplicaHealth health, DeploymentSteps steps, Traffic.RolloutTraffic traffic, ReplicaFactory factory, DeploymentOptions limits, TimeProvider time)
{
    /// <param name="OldId">The replica in the slot now (null: empty).</param>
    /// <param name="OldStopTimeout">Its own stop timeout, which its stop waits for (null: unknown, so the longest allowed).</param>
    /// <param name="OldPorts">Its ports, which its drain watches (null: none known).</param>
    private sealed record Slot(NodeDefinition Node, int Index, string? OldId, int? OldStopTimeout, IReadOnlySet<int>? OldPorts = null);

    public async Task<(DeploymentStatus Status, string? Reason)> RunAsync(DeploymentPlan plan, CancellationToken cancel)
    {
        var target = plan.Target;
        var spec = target.Spec;
        // What runs now; a node that does not answer fails the deployment before anything is touched.
        var running = new ConcurrentDictionary<string, IReadOnlyList<ContainerSummary>>();
        var holding = HeldPortsAsync(plan);
        var listing = await Task.WhenAll(plan.Nodes.Concat(plan.LeavingNodes).Select(async node =>
        {
            using var limit = new CancellationTokenSource(limits.EngineCallTimeout, time);
            try
            {
                running[node.Name] = await containers.ListServiceReplicasAsync(node, target.Service, limit.Token);
                return null;
            }
            catch (Exception ex) when (ex is ControlPanelException || (ex is OperationCanceledException && limit.IsCancellationRequested))
            {
                var why = ex is ControlPanelException ? ex.Message : $"no answer within {limits.EngineCallTimeout.TotalSeconds:0} s";
                await steps.RecordAsync(plan.Deployment, node, null, DeploymentStepAction.Inspect, why, failed: true);
                return $"node '{node.Name}' could not be read: {why}";
            }
        }));
        if (listing.FirstOrDefault(f => f is not null) is { } unreachable) return (DeploymentStatus.Failed, unreachable + " Nothing was changed.");
        factory.ReservePorts(running.Concat(await holding).ToDictionary(r => r.Key, r => r.Value));

        if (IsNoOp(plan, running)) return (DeploymentStatus.NoOp, $"Release {target.Number} already runs on every node ({plan.Nodes.Count * spec.ReplicasPerNode} replicas); nothing was changed.");
        // A secret the panel can no longer decrypt would fail every replica; find out before one is stopped.
        try
        {
            factory.Environment(target);
        }
        catch (ControlPanelException ex)
        {
            return (DeploymentStatus.Failed, $"{ex.Message} Nothing was changed.");
        }

        var pulls = await Task.WhenAll(plan.Nodes.Select(async node =>
        {
            try
            {
                await steps.RunAsync(plan.Deployment, node, null, DeploymentStepAction.Pull, new(Image: target.ImageReference), limits.PullTimeout, ct => containers.PullAsync(node, target.ImageReference, plan.Credentials, ct));
                return null;
            }
            catch (ControlPanelException ex)
            {
                return $"Pulling {target.ImageReference} on node '{node.Name}' failed: {ex.Message}. No replica was stopped.";
            }
        }));
        if (pulls.FirstOrDefault(f => f is not null) is { } pullFailure) return (DeploymentStatus.Failed, pullFailure);

        var slots = Enumerable.Range(0, spec.ReplicasPerNode)
            .SelectMany(i => plan.Nodes.Select(node => OldReplica(running[node.Name], i) is { } old ? new Slot(node, i, old.Id, StopTimeoutOf(old), Traffic.RolloutTraffic.PortsOf(old.Labels)) : new Slot(node, i, null, null)))
            .ToList();
        var changed = new List<Slot>(); // slots now holding a new replica (Slot.OldId = the new one) or left empty
        var done = 0;
        foreach (var batch in slots.Where(s => !RunsTarget(running[s.Node.Name], s.Index, target)).Chunk(spec.Update.BatchSize(spec.EffectiveOrder)))
        {
            if (cancel.IsCancellationRequested)
                return (DeploymentStatus.Cancelled, $"Cancelled after {done} replica(s); each slot runs exactly one replica (old or new release).");
            // A batch always completes (cancel waits for it), so no node is left half-replaced.
            var results = await Task.WhenAll(batch.Select(slot => ReplaceAsync(plan, slot, target)));
            changed.AddRange(results.Where(r => r.Changed is not null).Select(r => r.Changed!));
            done += results.Count(r => r.Failure is null);
            if (results.FirstOrDefault(r => r.Failure is not null).Failure is { } failure)
            {
                if (spec.Update.FailureAction == FailureAction.Pause) return (DeploymentStatus.Paused, failure + " Paused as the update policy says; nothing was restored.");
                var restore = await RollBackAsync(plan, changed);
                return restore is null
                    ? (DeploymentStatus.RolledBack, $"{failure} Rolled back {changed.Count} replica(s) to release {plan.Previous?.Number.ToString() ?? "(none: removed)"}.")
                    : (DeploymentStatus.Failed, $"{failure} Rolling back failed too: {restore}");
            }
            // Cancel (and shutdown) must not wait the delay out: the loop's own check then ends the rollout between batches.
            if (spec.Update.DelaySeconds > 0) await DelayUnlessCancelledAsync(TimeSpan.FromSeconds(spec.Update.DelaySeconds), cancel);
        }
        await RemoveExtrasAsync(plan, running);
        return await RetireLeavingAsync(plan, running, cancel);
    }

    /// <summary>
    /// After every slot on the staying nodes runs a healthy replica: each replica on a leaving node goes out of
    /// rotation, is drained, stopped and removed, one at a time, so capacity never drops by more than one replica.
    /// </summary>
    private async Task<(DeploymentStatus Status, string? Reason)> RetireLeavingAsync(DeploymentPlan plan, ConcurrentDictionary<string, IReadOnlyList<ContainerSummary>> running, CancellationToken cancel)
    {
        var retired = 0;
        foreach (var node in plan.LeavingNodes)
            foreach (var replica in running[node.Name].OrderBy(c => SlotOf(c) ?? -1))
            {
                if (cancel.IsCancellationRequested)
                    return (DeploymentStatus.Cancelled, $"Cancelled after retiring {retired} replica(s) of leaving nodes; the others run on as they were, beside the replicas placed elsewhere.");
                try
                {
                    await RetireAsync(plan, new Slot(node, SlotOf(replica) ?? -1, replica.Id, StopTimeoutOf(replica), Traffic.RolloutTraffic.PortsOf(replica.Labels)), replica.Id, plan.Target);
                    retired++;
                }
                catch (ControlPanelException ex)
                {
                    return (DeploymentStatus.Failed, $"The replicas on the other nodes are in place, but replica {replica.Name} on leaving node '{node.Name}' could not be retired: {ex.Message}.");
                }
            }
        return (DeploymentStatus.Succeeded, null);
    }

    /// <summary>
    /// The replicas on cordoned nodes, read only for their ports: nodes may share a host (the lab's do), so a new replica
    /// must not take a port one of them holds. A node that does not answer holds nothing known; it fails nothing.
    /// </summary>
    private async Task<Dictionary<string, IReadOnlyList<ContainerSummary>>> HeldPortsAsync(DeploymentPlan plan)
    {
        var held = await Task.WhenAll(plan.HoldingNodes.Select(async node =>
        {
            using var limit = new CancellationTokenSource(limits.EngineCallTimeout, time);
            try
            {
                return (node.Name, Replicas: await containers.ListServiceReplicasAsync(node, plan.Target.Service, limit.Token));
            }
            catch (Exception ex) when (ex is ControlPanelException || (ex is OperationCanceledException && limit.IsCancellationRequested))
            {
                return (node.Name, Replicas: (IReadOnlyList<ContainerSummary>)[]);
            }
        }));
        return held.ToDictionary(h => h.Name, h => h.Replicas);
    }

    /// <summary>Replaces one slot's replica with one of <paramref name="release"/>; reports the slot as changed when it touched it.</summary>
    private async Task<(Slot? Changed, string? Failure)> ReplaceAsync(DeploymentPlan plan, Slot slot, Release release)
    {
        var spec = release.Spec;
        var node = slot.Node;
        var stopFirst = spec.EffectiveOrder == UpdateOrder.StopFirst;
        if (stopFirst && slot.OldId is { } early)
        {
            try
            {
                await RetireAsync(plan, slot, early, release);
            }
            catch (ControlPanelException ex)
            {
                return (null, $"The old replica {slot.Index} on node '{node.Name}' could not be stopped: {ex.Message}.");
            }
        }
        ReplicaContainer? replica = null;
        string? id = null;
        try
        {
            // Inside the try: it can fail too (no free port left), and stop-first has already emptied the slot.
            replica = factory.Create(plan.Deployment, release, node, slot.Index);
            id = await steps.RunAsync(plan.Deployment, node, slot.Index, DeploymentStepAction.Create, new(Image: release.ImageReference, ContainerName: replica.Name), limits.EngineCallTimeout, ct => containers.CreateAsync(node, replica, ct));
            factory.Created(node, replica, id);
            traffic.Created(id);
            await steps.RunAsync(plan.Deployment, node, slot.Index, DeploymentStepAction.Start, new(ContainerId: id), limits.EngineCallTimeout, ct => containers.StartAsync(node, id, ct));
            await traffic.StartedAsync(plan.Deployment, release, node, slot.Index, id);
            // The wait may overrun the deadline and the monitor period by one state call and one probe each, so the
            // deadline's own message ("not healthy within …") comes before this limit blames the engine.
            var probeTime = 2 * ReplicaHealth.ProbeTimeoutSeconds(spec);
            var healthLimit = TimeSpan.FromSeconds(spec.Update.ProgressDeadlineSeconds + spec.Update.MonitorSeconds + probeTime) + 2 * limits.EngineCallTimeout;
            await steps.RunAsync(plan.Deployment, node, slot.Index, DeploymentStepAction.Healthy, new(ContainerId: id), healthLimit, ct => health.WaitHealthyAsync(node, id, replica.Labels, spec, ct));
            await traffic.HealthyAsync(plan.Deployment, release, node, slot.Index, id);
        }
        catch (ControlPanelException ex)
        {
            if (id is not null) await TryAsync(() => steps.RunAsync(plan.Deployment, node, slot.Index, DeploymentStepAction.RemoveNew, new(ContainerId: id), limits.EngineCallTimeout, ct => containers.RemoveAsync(node, id, true, ct)));
            if ((id ?? replica?.Name) is { } held) factory.ReleasePorts(node, held);
            if (id is not null) traffic.Removed(id);
            var failure = $"Replica {slot.Index} of release {release.Number} on node '{node.Name}' failed: {ex.Message}.";
            // Stop-first already took the old replica away: the slot is empty and must be restored.
            return (stopFirst && slot.OldId is not null ? slot with { OldId = null, OldStopTimeout = null } : null, failure);
        }
        if (!stopFirst && slot.OldId is { } old)
        {
            try
            {
                await RetireAsync(plan, slot, old, release);
            }
            catch (ControlPanelException ex)
            {
                return (slot with { OldId = id, OldStopTimeout = spec.StopTimeoutSeconds, OldPorts = Traffic.RolloutTraffic.PortsOf(replica.Labels) }, $"The old replica {slot.Index} on node '{node.Name}' could not be stopped: {ex.Message}.");
            }
        }
        return (slot with { OldId = id, OldStopTimeout = spec.StopTimeoutSeconds, OldPorts = Traffic.RolloutTraffic.PortsOf(replica.Labels) }, null);
    }

    /// <summary>Takes an old replica out: out of rotation and drained, a graceful stop with its own signal and timeout (duration recorded), removal.</summary>
    private async Task RetireAsync(DeploymentPlan plan, Slot slot, string id, Release release)
    {
        await traffic.LeavingAsync(plan.Deployment, release, slot.Node, slot.Index, id, slot.OldPorts ?? new HashSet<int>());
        // The engine waits for the container's own stop timeout (set when it was created, maybe by another release) before SIGKILL.
        var stopLimit = TimeSpan.FromSeconds(slot.OldStopTimeout ?? RuntimeValidation.MaxStopTimeoutSeconds) + limits.EngineCallTimeout;
        // A stop that ran out its timeout is recorded with its likely cause; the service page flags it.
        await steps.RunAsync(plan.Deployment, slot.Node, slot.Index, DeploymentStepAction.StopOld, new(ContainerId: id), stopLimit,
            ct => containers.StopAndDiagnoseAsync(slot.Node, id, null, ct), killed => killed?.ToString());
        await steps.RunAsync(plan.Deployment, slot.Node, slot.Index, DeploymentStepAction.RemoveOld, new(ContainerId: id), limits.EngineCallTimeout, ct => containers.RemoveAsync(slot.Node, id, true, ct));
        factory.ReleasePorts(slot.Node, id);
        traffic.Removed(id);
    }

    private async Task<string?> RollBackAsync(DeploymentPlan plan, List<Slot> changed)
    {
        try
        {
            // Unreadable secrets would fail every restored replica after its new one was taken out: leave the new ones.
            if (plan.Previous is { } previous) factory.Environment(previous);
            foreach (var batch in Enumerable.Reverse(changed).Chunk(plan.Target.Spec.Update.Parallelism))
            {
                if (plan.Previous is null)
                {
                    foreach (var slot in batch.Where(s => s.OldId is not null)) await RetireAsync(plan, slot, slot.OldId!, plan.Target);
                    continue;
                }
                var results = await Task.WhenAll(batch.Select(slot => ReplaceAsync(plan, slot, plan.Previous)));
                if (results.FirstOrDefault(r => r.Failure is not null).Failure is { } failure) return failure;
            }
            return null;
        }
        catch (ControlPanelException ex)
        {
            return ex.Message;
        }
    }

    private async Task RemoveExtrasAsync(DeploymentPlan plan, ConcurrentDictionary<string, IReadOnlyList<ContainerSummary>> running)
    {
        foreach (var node in plan.Nodes)
        {
            var kept = Enumerable.Range(0, plan.Target.Spec.ReplicasPerNode).Select(i => OldReplica(running[node.Name], i)?.Id).ToHashSet();
            foreach (var extra in running[node.Name].Where(c => !kept.Contains(c.Id)))
                await RetireAsync(plan, new Slot(node, SlotOf(extra) ?? -1, extra.Id, StopTimeoutOf(extra), Traffic.RolloutTraffic.PortsOf(extra.Labels)), extra.Id, plan.Target);
        }
    }

    private bool IsNoOp(DeploymentPlan plan, ConcurrentDictionary<string, IReadOnlyList<ContainerSummary>> running) =>
        plan.LeavingNodes.All(n => running[n.Name].Count == 0) && plan.Nodes.All(n => running[n.Name].Count == plan.Target.Spec.ReplicasPerNode
            && Enumerable.Range(0, plan.Target.Spec.ReplicasPerNode).All(i => RunsTarget(running[n.Name], i, plan.Target)));

    private static bool RunsTarget(IReadOnlyList<ContainerSummary> onNode, int slot, Release target) =>
        OldReplica(onNode, slot) is { State: ContainerState.Running, Health: not ContainerHealth.Unhealthy } c
        && c.Labels.TryGetValue(ReplicaLabels.Release, out var r) && r == target.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ContainerSummary? OldReplica(IReadOnlyList<ContainerSummary> onNode, int slot) =>
        onNode.Where(c => SlotOf(c) == slot).OrderByDescending(c => c.State == ContainerState.Running).ThenByDescending(c => c.Created).FirstOrDefault();

    private static int? StopTimeoutOf(ContainerSummary c) =>
        c.Labels.TryGetValue(ReplicaLabels.StopTimeout, out var s) && int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : null;

    private static int? SlotOf(ContainerSummary c) => c.Labels.TryGetValue(ReplicaLabels.Slot, out var s) && int.TryParse(s, out var i) ? i : null;

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (ControlPanelException)
        {
            // Best effort while already failing; the step records what went wrong.
        }
    }

    private async Task DelayUnlessCancelledAsync(TimeSpan delay, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(delay, time, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Cancelled between batches: the caller ends the rollout.
        }
    }
}
