using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Releases;

/// <summary>Runs deployments in the background, one task each; cancel stops them after their current batch.</summary>
public sealed class DeploymentRunner(
    IReplicaEngine replicas,
    IContainerEngine containers,
    IReleaseStore store,
    ISecretProtector secrets,
    TimeProvider time,
    ILogger<DeploymentRunner> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, (CancellationTokenSource Cancel, Task Task)> _running = new();

    public bool IsRunningHere(Guid id) => _running.ContainsKey(id);

    public void Launch(DeploymentPlan plan)
    {
        var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var task = Task.Run(async () =>
        {
            await started.Task;
            var id = plan.Deployment.Id;
            (DeploymentStatus Status, string? Reason) outcome;
            try
            {
                outcome = await new Rollout(replicas, containers, store, new ReplicaFactory(secrets), time).RunAsync(plan, cancel.Token);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Deployment {Deployment} of {Service} failed unexpectedly", id, plan.Target.Service);
                outcome = (DeploymentStatus.Failed, "The panel hit an unexpected error (logged); check the service page for what runs where.");
            }
            try
            {
                await store.FinishDeploymentAsync(id, outcome.Status, outcome.Reason, time.GetUtcNow(), CancellationToken.None);
                logger.LogInformation("Deployment {Deployment} of {Service} release {Release}: {Status} {Reason}", id, plan.Target.Service, plan.Target.Number, outcome.Status, outcome.Reason);
            }
            finally
            {
                _running.TryRemove(id, out _);
                cancel.Dispose();
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

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _running.Keys) Cancel(id);
        await Task.WhenAll(_running.Values.Select(r => r.Task));
    }
}
