using System.Collections.Concurrent;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Releases;

/// <summary>
/// The signals of deployments on this instance: one started, changed (a step stored or finished) or ended.
/// <see cref="DeploymentUpdates"/> turns them into a stream per deployment; starts and ends also go to
/// <see cref="ServiceChanges"/> for lists of services.
/// </summary>
public sealed class DeploymentChanges(ServiceChanges services)
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _next = new();
    private readonly ConcurrentDictionary<Guid, string> _runningHere = new();

    /// <summary>True while this instance runs the deployment, so its every change is signalled here.</summary>
    public bool IsRunningHere(Guid deployment) => _runningHere.ContainsKey(deployment);

    public void Started(Deployment deployment)
    {
        _runningHere[deployment.Id] = deployment.Service;
        services.Publish(new ServiceChange(deployment.Service, ServiceChangeKind.DeploymentStarted));
    }

    /// <summary>
    /// The next change of the deployment. Take it before reading the deployment, then wait for it, so a change stored
    /// between the read and the wait is not missed.
    /// </summary>
    public Task Next(Guid deployment) =>
        _next.GetOrAdd(deployment, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes every follower of the deployment (and drops its entry until someone asks for the next change).</summary>
    public void Changed(Guid deployment)
    {
        if (_next.TryRemove(deployment, out var waiting)) waiting.TrySetResult();
    }

    /// <summary>The deployment's outcome is stored (here, or by housekeeping for a panel that died).</summary>
    public void Ended(Guid deployment, string service)
    {
        _runningHere.TryRemove(deployment, out _);
        Changed(deployment);
        services.Publish(new ServiceChange(service, ServiceChangeKind.DeploymentEnded));
    }
}
