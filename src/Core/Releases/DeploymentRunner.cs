using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Releases;

/// <summary>Runs deployments in the background, one task each; cancel stops them after their current batch.</summary>
public sealed class DeploymentRunner(
    Func<Rollout> newRollout,
    RollingRestart restart,
    IContainerEngine containers,
    IReleaseStore store,
    DeploymentChanges changes,
    TimeProvider time,
    Common.LivenessOptions liveness,
    ILogger<DeploymentRunner> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, (CancellationTokenSource Cancel, Task Task)> _running = new();


    public void Launch(DeploymentPlan plan)
    {
        var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        changes.Started(plan.Deployment);
        var task = Task.Run(async () =>
        {
            await started.Task;
            var id = plan.Deployment.Id;
            var kind = plan.Deployment.Kind.ToString();
            using var activity = Telemetry.ControlPanelTelemetry.StartDeployment(id, plan.Target.Service, kind);
            var startedAt = time.GetTimestamp();
            (DeploymentStatus Status, string? Reason) outcome;
            using var beating = new CancellationTokenSource();
            var heartbeat = BeatAsync(id, beating.Token);
            try
            {
                outcome = plan.Deployment.Kind == DeploymentKind.Restart
                    ? await restart.RunAsync(plan, cancel.Token)
                    : await newRollout().RunAsync(plan, cancel.Token);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Deployment {Deployment} of {Service} failed unexpectedly", id, plan.Target.Service);
                outcome = (DeploymentStatus.Failed, "The panel hit an unexpected error (logged); check the service page for what runs where.");
            }
            Telemetry.ControlPanelTelemetry.RecordDeployment(kind, outcome.Status.ToString(), time.GetElapsedTime(startedAt));
            activity?.SetTag("controlpanel.deployment.outcome", outcome.Status.ToString());
            if (outcome.Status is DeploymentStatus.Failed or DeploymentStatus.RolledBack) activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, outcome.Reason);
            try
            {
                await store.FinishDeploymentAsync(id, outcome.Status, outcome.Reason, time.GetUtcNow(), CancellationToken.None);
                logger.LogInformation("Deployment {Deployment} of {Service} release {Release}: {Status} {Reason}", id, plan.Target.Service, plan.Target.Number, outcome.Status, outcome.Reason);
            }
            catch (Exception ex)
            {
                // Nobody awaits this task: log here, or the outcome is lost without a trace. The record stays
                // "running" until its heartbeat stops and housekeeping marks it interrupted.
                logger.LogError(ex, "Deployment {Deployment} of {Service} ended {Status} ({Reason}), but that could not be stored", id, plan.Target.Service, outcome.Status, outcome.Reason);
            }
            finally
            {
                await beating.CancelAsync();
                await heartbeat;
                _running.TryRemove(id, out _);
                cancel.Dispose();
                changes.Ended(id, plan.Target.Service);
            }
        });
        _running[plan.Deployment.Id] = (cancel, task);
        started.SetResult();
    }

    /// <summary>Asks a deployment running here to stop after its current batch; false when it is not running here.</summary>
    public bool Cancel(Guid id)
    {
        if (!_running.TryGetValue(id, out var running)) return false;
        try
        {
            running.Cancel.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Marks deployments whose panel stopped as interrupted (their locks freed) and removes the replicas they created
    /// that never started; replicas that did start stay, so no service loses capacity to the clean-up. Returns them,
    /// for <see cref="DeploymentRecovery"/> to finish.
    /// </summary>
    public async Task<IReadOnlyList<Deployment>> MarkAbandonedAsync(IReadOnlyList<NodeDefinition> nodes, CancellationToken cancellationToken)
    {
        // Never this instance's own: a late heartbeat (a busy database) must not free the lock of a rollout that still runs here.
        var interrupted = await store.MarkInterruptedAsync(time.GetUtcNow() - liveness.AbandonedAfter, _running.Keys.ToList(), time.GetUtcNow(), cancellationToken);
        foreach (var deployment in interrupted)
        {
            logger.LogWarning("Deployment {Deployment} of {Service} was interrupted: its panel stopped", deployment.Id, deployment.Service);
            changes.Ended(deployment.Id, deployment.Service);
            foreach (var node in nodes.Where(n => n.IsUsable))
            {
                try
                {
                    foreach (var orphan in (await containers.ListServiceReplicasAsync(node, deployment.Service, cancellationToken))
                        .Where(c => c.State is ContainerState.Created && c.Labels.GetValueOrDefault(ReplicaLabels.Deployment) == deployment.Id.ToString()))
                    {
                        await containers.RemoveAsync(node, orphan.Id, true, cancellationToken);
                        await store.AddStepAsync(deployment.Id, new DeploymentStep(0, node.Name, null, DeploymentStepAction.RemoveOrphan, time.GetUtcNow(), TimeSpan.Zero, null, null, orphan.Id, "created but never started before the panel stopped"), cancellationToken);
                    }
                }
                catch (Common.ControlPanelException ex)
                {
                    logger.LogWarning("Could not clean up after interrupted deployment {Deployment} on {Node}: {Reason}", deployment.Id, node.Name, ex.Message);
                }
            }
        }
        return interrupted;
    }

    private Task BeatAsync(Guid id, CancellationToken cancellationToken) =>
        Common.Heartbeat.RunAsync(liveness.HeartbeatInterval, time, (now, ct) => store.TouchDeploymentAsync(id, now, ct),
            ex => logger.LogWarning(ex, "Heartbeat of deployment {Deployment} stopped", id), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _running.Keys) Cancel(id);
        await Task.WhenAll(_running.Values.Select(r => r.Task));
    }
}
