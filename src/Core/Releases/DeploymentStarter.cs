using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Releases;

/// <summary>
/// Starting a deployment of a release that was already chosen, for a person (<see cref="ReleaseService"/>) or for the
/// panel itself (<see cref="DeploymentRecovery"/>): checks the spec and that every node answers before anything starts,
/// then takes the service's lock, stores the deployment with its audit entry and launches the rollout.
/// </summary>
public sealed class DeploymentStarter(IServiceStore services, IReleaseStore store, IRegistryStore registries, FleetService fleet, IContainerEngine engine,
    DeploymentRunner runner, HostMountOptions mounts, TimeProvider time)
{
    /// <param name="kind">A release, or a safe restart of the release that runs.</param>
    /// <param name="onlyContainer">For a restart: the one replica to restart (null: all).</param>
    /// <param name="leaving">For a drain: the node whose replicas are retired once the other nodes' are in place.</param>
    /// <param name="rollback">An earlier healthy release deployed again on purpose: audited as a rollback, not a plain start.</param>
    public async Task<Deployment> StartAsync(Release release, string startedBy, string? clientAddress, string? message, CancellationToken cancellationToken,
        DeploymentKind kind = DeploymentKind.Release, string? onlyContainer = null, NodeDefinition? leaving = null, bool rollback = false)
    {
        // A safe restart places nothing new, it restarts replicas where they run: a cordoned node's included.
        var candidates = kind == DeploymentKind.Restart
            ? fleet.Nodes.Select(n => n.Availability == NodeAvailability.Cordoned ? n with { Availability = NodeAvailability.Active } : n).ToList()
            : fleet.Nodes;
        var (spec, nodes) = RuntimeValidation.Validate(release.Spec, candidates, mounts);
        // A drained node is cordoned first, so placement already left it out; never both place on it and retire it.
        nodes = leaving is null ? nodes : nodes.Where(n => n.Name != leaving.Name).ToList();
        if (nodes.Count == 0) throw new InvalidRequestException("nodes", $"No node but '{leaving?.Name}' takes replicas of '{release.Service}'; nothing to move them to.");
        var holding = RuntimeValidation.Matching(spec, fleet.Nodes)
            .Where(n => n.IsUsable && n.Availability == NodeAvailability.Cordoned && n.Name != leaving?.Name && nodes.All(p => p.Name != n.Name)).ToList();
        var unreachable = await Task.WhenAll(nodes.Select(async n =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await engine.GetInfoAsync(n, timeout.Token);
                return null;
            }
            catch (Exception ex) when (ex is ControlPanelException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return $"node '{n.Name}' ({ex.Message})";
            }
        }));
        if (unreachable.OfType<string>().ToList() is { Count: > 0 } down)
            throw new InvalidRequestException("nodes", $"Not deploying: {string.Join("; ", down)} cannot be reached. Nothing was touched.");
        var service = release.Service;
        var previousNumber = await store.CurrentReleaseAsync(service, cancellationToken);
        var previous = previousNumber is { } p && p != release.Number ? await store.FindReleaseAsync(service, p, cancellationToken) : null;
        var registryName = (await services.FindAsync(service, release.ServiceRevision, cancellationToken))?.Build.Registry;
        var credentials = registryName is null ? null : await registries.GetCredentialsAsync(registryName, cancellationToken);
        var deployment = new Deployment
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Kind = kind,
            Service = service,
            Release = release.Number,
            PreviousRelease = previous?.Number,
            StartedBy = startedBy,
            StartedAt = time.GetUtcNow(),
            Message = string.IsNullOrWhiteSpace(message) ? null : message.Trim(),
            LeavingNode = leaving?.Name,
        };
        var audit = new AuditEntry
        {
            At = time.GetUtcNow(), Actor = startedBy, ClientAddress = clientAddress, Action = kind == DeploymentKind.Restart ? "service.restart" : rollback ? "deployment.rollback" : "deployment.start", Target = service,
            Detail = kind switch
            {
                _ when rollback => $"{message ?? $"Rollback to release {release.Number}"}: {release.Digest} on {string.Join(", ", nodes.Select(n => n.Name))}",
                DeploymentKind.Restart => $"safe restart of release {release.Number}: {(onlyContainer is null ? "every replica" : "replica " + onlyContainer)} on {string.Join(", ", nodes.Select(n => n.Name))}",
                DeploymentKind.Drain => $"drain of node '{leaving?.Name}': release {release.Number} ({release.Digest}) on {string.Join(", ", nodes.Select(n => n.Name))}",
                _ => $"release {release.Number} ({release.Digest}) to {string.Join(", ", nodes.Select(n => n.Name))}",
            },
            Succeeded = true, Duration = TimeSpan.Zero,
        };
        await store.StartDeploymentAsync(deployment, audit, cancellationToken);
        runner.Launch(new DeploymentPlan(deployment, release with { Spec = spec }, previous, nodes, credentials, onlyContainer, leaving is null ? null : [leaving], holding));
        return deployment;
    }
}
