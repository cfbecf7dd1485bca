using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Traffic;

/// <summary>
/// Keeps rotations right between deployments, from the fleet's events: when a replica of a routed service dies,
/// stops, turns unhealthy or comes back, its rotation is brought in line; when a router replica starts (restarted by
/// hand, its node rebooted), it gets the upstream of every service routed through it.
/// </summary>
public sealed class RotationKeeper(FleetChangeNotifier changes, TrafficRotation rotation, RoutedServices routed, INodeDirectory nodes, ILogger<RotationKeeper> logger)
{
    /// <summary>Listens until the returned subscription is disposed.</summary>
    public IDisposable Start(CancellationToken stopping) => changes.Subscribe(change => OnChangeAsync(change, stopping));

    private async Task OnChangeAsync(FleetChange change, CancellationToken cancellationToken)
    {
        try
        {
            switch (change)
            {
                case ContainerChanged { Container: { } container } c when container.Labels.TryGetValue(ReplicaLabels.Service, out var service):
                    await OnReplicaChangedAsync(c, service, cancellationToken);
                    break;
                case NodeResynced or FleetChangesMissed:
                    // Replicas may have died while the node's events were not heard: check every routed service.
                    await ApplyAllAsync(cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is ControlPanelException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Could not bring the rotation in line after {Change}: {Reason}", change.GetType().Name, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // The panel is stopping.
        }
    }

    private async Task OnReplicaChangedAsync(ContainerChanged change, string service, CancellationToken cancellationToken)
    {
        if (await routed.CurrentAsync(service, cancellationToken) is not { } release) return;
        if (release.Spec.Router && change.Action == "start" && nodes.GetNodes().FirstOrDefault(n => n.Name == change.Node) is { IsUsable: true } node)
        {
            await rotation.PrepareRouterAsync(node, change.Id, await routed.ThroughAsync(service, cancellationToken), cancellationToken);
            logger.LogInformation("Router replica {Node}/{Container} started: gave it the routed services' upstreams", change.Node, change.Container?.Name);
        }
        if (rotation.Routes(release.Spec)) await rotation.ApplyAsync(release, cancellationToken, onlyIfChanged: true);
    }

    private async Task ApplyAllAsync(CancellationToken cancellationToken)
    {
        foreach (var release in (await routed.AllCurrentAsync(cancellationToken)).Where(r => rotation.Routes(r.Spec)))
            await rotation.ApplyAsync(release, cancellationToken, onlyIfChanged: true);
    }
}
