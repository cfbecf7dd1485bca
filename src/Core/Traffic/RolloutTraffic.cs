using System.Globalization;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Traffic;

/// <summary>
/// The traffic side of replacing replicas, as deployment steps: a new replica is held out of rotation until it is
/// healthy, then put in; an old one is taken out and drained (no connection left, or the longest wait) before its
/// stop signal. A new router replica gets every routed service's upstream before it counts as healthy.
/// </summary>
public sealed class RolloutTraffic(TrafficRotation rotation, ReplicaDrain drain, RoutedServices routed, DeploymentSteps steps, DeploymentOptions limits)
{
    /// <summary>A routed service with no drain delay set still waits this long at most for its connections to end.</summary>
    public static readonly TimeSpan DefaultRoutedDrain = TimeSpan.FromSeconds(30);

    /// <summary>Call before the new replica starts, so no re-render of its rotation sends it work early.</summary>
    public void Created(string id) => rotation.HoldOut(id);

    /// <summary>The replica is gone.</summary>
    public void Removed(string id) => rotation.Forget(id);

    /// <summary>After a router replica started: writes the upstream of every service routed through it.</summary>
    public async Task StartedAsync(Deployment deployment, Release release, NodeDefinition node, int slot, string id)
    {
        if (!release.Spec.Router) return;
        await steps.RunAsync(deployment, node, slot, DeploymentStepAction.PrepareRouter, new(ContainerId: id), 2 * limits.EngineCallTimeout, async ct =>
            await rotation.PrepareRouterAsync(node, id, await routed.ThroughAsync(release.Service, ct), ct));
    }

    /// <summary>After the new replica is healthy (and stayed so): into every rotation of its service.</summary>
    public async Task HealthyAsync(Deployment deployment, Release release, NodeDefinition node, int slot, string id)
    {
        if (!rotation.Routes(release.Spec)) return;
        await steps.RunAsync(deployment, node, slot, DeploymentStepAction.RotateIn, new(ContainerId: id), 2 * limits.EngineCallTimeout, ct => rotation.PutInAsync(release, id, ct));
        if (Discovery.DiscoveryRules.Effective(release.Spec) is { Gate: true })
            await steps.RunAsync(deployment, node, slot, DeploymentStepAction.Serving, new(ContainerId: id), TimeSpan.FromSeconds(release.Spec.Update.ProgressDeadlineSeconds),
                ct => rotation.WaitServingAsync(release, id, ct));
    }

    /// <summary>Before an old replica's stop: out of every rotation, then drained (measured), as long as the spec allows.</summary>
    public async Task LeavingAsync(Deployment deployment, Release release, NodeDefinition node, int slot, string id, IReadOnlySet<int> ports)
    {
        var routes = rotation.Routes(release.Spec);
        if (routes)
            await steps.RunAsync(deployment, node, slot, DeploymentStepAction.RotateOut, new(ContainerId: id), 2 * limits.EngineCallTimeout, ct => rotation.TakeOutAsync(release, id, ct));
        var longest = release.Spec.DrainDelaySeconds > 0 ? TimeSpan.FromSeconds(release.Spec.DrainDelaySeconds) : routes ? DefaultRoutedDrain : TimeSpan.Zero;
        if (longest == TimeSpan.Zero) return;
        await steps.RunAsync(deployment, node, slot, DeploymentStepAction.Drain, new(ContainerId: id), longest + limits.EngineCallTimeout,
            ct => drain.WaitIdleAsync(node, id, ports, longest, ct), outcome => outcome.Detail);
    }

    /// <summary>The ports a replica was given, from its labels.</summary>
    public static IReadOnlySet<int> PortsOf(IReadOnlyDictionary<string, string> labels) =>
        labels.Where(l => l.Key.StartsWith(ReplicaLabels.PortPrefix, StringComparison.Ordinal))
            .Select(l => int.TryParse(l.Value, CultureInfo.InvariantCulture, out var port) ? port : 0).Where(p => p > 0).ToHashSet();
}
