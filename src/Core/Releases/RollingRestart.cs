using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Traffic;

namespace ControlPanel.Core.Releases;

/// <summary>
/// A safe restart: the replicas that run are restarted in place, a batch (the update policy's parallelism) at a time,
/// each out of rotation and drained, stopped with its own signal, started, healthy again, then back in rotation.
/// Stops at the first replica that does not come back; the ones not reached keep running untouched.
/// </summary>
public sealed class RollingRestart(IContainerEngine containers, ReplicaHealth health, DeploymentSteps steps, RolloutTraffic traffic, DeploymentOptions limits)
{
    private sealed record Replica(NodeDefinition Node, ContainerSummary Container, int Slot);

    public async Task<(DeploymentStatus Status, string? Reason)> RunAsync(DeploymentPlan plan, CancellationToken cancel)
    {
        var (release, only) = (plan.Target, plan.OnlyContainer);
        var replicas = new List<Replica>();
        foreach (var node in plan.Nodes)
        {
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                limit.CancelAfter(limits.EngineCallTimeout);
                var running = await containers.ListServiceReplicasAsync(node, release.Service, limit.Token);
                replicas.AddRange(running.Where(c => c.State == ContainerState.Running && (only is null || c.Id.StartsWith(only, StringComparison.Ordinal)))
                    .Select(c => new Replica(node, c, c.Labels.TryGetValue(ReplicaLabels.Slot, out var s) && int.TryParse(s, out var slot) ? slot : -1)));
            }
            catch (Exception ex) when (ex is ControlPanelException || (ex is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                var why = ex is ControlPanelException ? ex.Message : $"no answer within {limits.EngineCallTimeout.TotalSeconds:0} s";
                await steps.RecordAsync(plan.Deployment, node, null, DeploymentStepAction.Inspect, why, failed: true);
                return (DeploymentStatus.Failed, $"Node '{node.Name}' could not be read: {why} Nothing was restarted.");
            }
        }
        if (replicas.Count == 0) return (DeploymentStatus.NoOp, only is null ? "No replica of the service runs; nothing was restarted." : $"Container {only} is not a running replica of the service; nothing was restarted.");

        var done = 0;
        foreach (var batch in replicas.OrderBy(r => r.Slot).ThenBy(r => r.Node.Name, StringComparer.Ordinal).Chunk(release.Spec.Update.Parallelism))
        {
            if (cancel.IsCancellationRequested) return (DeploymentStatus.Cancelled, $"Cancelled after {done} of {replicas.Count} replica(s); each is running.");
            var failures = await Task.WhenAll(batch.Select(r => RestartAsync(plan, r)));
            if (failures.FirstOrDefault(f => f is not null) is { } failure)
                return (DeploymentStatus.Failed, $"{failure} {replicas.Count - done - batch.Length} replica(s) not reached were left running as they were.");
            done += batch.Length;
        }
        return (DeploymentStatus.Succeeded, null);
    }

    private async Task<string?> RestartAsync(DeploymentPlan plan, Replica r)
    {
        var (node, id, spec) = (r.Node, r.Container.Id, plan.Target.Spec);
        try
        {
            await traffic.LeavingAsync(plan.Deployment, plan.Target, node, r.Slot, id, RolloutTraffic.PortsOf(r.Container.Labels));
            var stopTimeout = int.TryParse(r.Container.Labels.GetValueOrDefault(ReplicaLabels.StopTimeout), out var t) ? t : RuntimeValidation.MaxStopTimeoutSeconds;
            await steps.RunAsync(plan.Deployment, node, r.Slot, DeploymentStepAction.Stop, new(ContainerId: id), TimeSpan.FromSeconds(stopTimeout) + limits.EngineCallTimeout,
                ct => containers.StopAndDiagnoseAsync(node, id, null, ct), killed => killed?.ToString());
            await steps.RunAsync(plan.Deployment, node, r.Slot, DeploymentStepAction.Start, new(ContainerId: id), limits.EngineCallTimeout, ct => containers.StartAsync(node, id, ct));
            await traffic.StartedAsync(plan.Deployment, plan.Target, node, r.Slot, id);
            var healthLimit = TimeSpan.FromSeconds(spec.Update.ProgressDeadlineSeconds + spec.Update.MonitorSeconds + 2 * ReplicaHealth.ProbeTimeoutSeconds(spec)) + 2 * limits.EngineCallTimeout;
            await steps.RunAsync(plan.Deployment, node, r.Slot, DeploymentStepAction.Healthy, new(ContainerId: id), healthLimit, ct => health.WaitHealthyAsync(node, id, r.Container.Labels, spec, ct));
            await traffic.HealthyAsync(plan.Deployment, plan.Target, node, r.Slot, id);
            return null;
        }
        catch (ControlPanelException ex)
        {
            // Left out of rotation: it did not come back healthy, so it must not be sent work.
            return $"Replica {r.Slot} on node '{node.Name}' ({r.Container.Name}) did not come back: {ex.Message}.";
        }
    }
}
