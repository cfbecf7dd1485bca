using System.Collections.Concurrent;
using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Traffic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// Consul as a rotation: the service's members are registered with their nodes' agents, and an instance that is no
/// longer a member is deregistered. A rollout takes a replica out (deregistered here) before its drain and stop, and
/// puts a new one in once it is healthy, so consumers of the catalog (consul-template, Fabio, Traefik) stop sending
/// to a replica before it stops. Only instances the panel registered (meta managed_by) are ever removed.
/// </summary>
public sealed class ConsulRotation(IConsulAgent agent, IConsulCatalog catalog, INodeDirectory nodes, IOptions<ConsulOptions> options, ILogger<ConsulRotation> logger) : IRotation
{
    // Per panel service, the TTL checks of its members as last applied: what the keeper renews.
    private readonly ConcurrentDictionary<string, IReadOnlyList<(string Node, string CheckId)>> _ttlChecks = new(StringComparer.Ordinal);

    public bool Carries(RuntimeSpec spec) => options.Value.RegisterReplicas && DiscoveryRules.Effective(spec) is not null;

    public async Task SetMembersAsync(Release release, IReadOnlyList<RotationMember> members, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(release, members, cancellationToken);
        }
        catch (ConsulException ex)
        {
            if (options.Value.RequiredForDeployments)
                throw new RotationFailedException($"Consul could not be brought in line for '{release.Service}': {ex.Message}", ex);
            logger.LogWarning("Consul could not be brought in line for {Service}; going on as ControlPanel:Consul:RequiredForDeployments is false: {Reason}", release.Service, ex.Message);
        }
    }

    public Task PrepareRouterAsync(NodeDefinition node, string containerId, IReadOnlyList<RoutedMembers> routes, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task WaitServingAsync(Release release, RotationMember member, CancellationToken cancellationToken)
    {
        if (DiscoveryRules.Effective(release.Spec) is not { Gate: true } discovery) return;
        var name = discovery.Name ?? release.Service;
        var id = ConsulReplicaRegistration.ServiceId(release.Service, member.ContainerId);
        ulong index = 0;
        try
        {
            // Blocking queries: the answer comes as soon as a check changes, not on a polling interval.
            while (true)
            {
                var answer = await catalog.HealthAsync(name, false, index, TimeSpan.FromSeconds(10), cancellationToken);
                var entry = answer.Value.FirstOrDefault(e => e.Service.ServiceId == id);
                if (entry is { Status: CheckStatus.Passing }) return;
                index = answer.Index;
            }
        }
        catch (ConsulException ex)
        {
            throw new RotationFailedException($"Consul could not say whether '{id}' passes its checks: {ex.Message}", ex);
        }
    }

    /// <summary>Reports each TTL check of the members last applied as passing; one that fails is logged, the others go on.</summary>
    public async Task RenewTtlChecksAsync(CancellationToken cancellationToken)
    {
        foreach (var (nodeName, checkId) in _ttlChecks.Values.SelectMany(c => c).ToList())
        {
            if (nodes.Find(nodeName) is not { } node) continue;
            try
            {
                await agent.ReportTtlAsync(node, checkId, CheckStatus.Passing, "running and healthy, as the panel last saw it", cancellationToken);
            }
            catch (ConsulException ex)
            {
                logger.LogWarning("Could not renew Consul check {CheckId} on node {Node}: {Reason}", checkId, nodeName, ex.Message);
            }
        }
    }

    private async Task ApplyAsync(Release release, IReadOnlyList<RotationMember> members, CancellationToken cancellationToken)
    {
        var name = DiscoveryRules.Effective(release.Spec)!.Value.Name ?? release.Service;
        var wanted = members.Select(m => (Member: m, Registration: ConsulReplicaRegistration.For(release, m)))
            .Where(w => w.Registration is not null).Select(w => (w.Member, Registration: w.Registration!)).ToList();
        var listed = await catalog.ServiceAsync(name, 0, TimeSpan.Zero, cancellationToken);
        var registered = listed.Value.Where(i => ConsulReplicaRegistration.IsManaged(i) && i.Meta[ConsulReplicaRegistration.ServiceMeta] == release.Service).ToList();
        // Out first: a leaving replica must be gone from the catalog before its drain starts.
        foreach (var stale in registered.Where(r => wanted.All(w => w.Registration.Id != r.ServiceId)))
            await DeregisterAsync(stale, cancellationToken);
        foreach (var (member, registration) in wanted.Where(w => !registered.Any(r => Matches(r, w.Registration))))
        {
            var node = nodes.Find(member.Node) ?? throw new ConsulConfigurationException($"Node '{member.Node}' is not known to the panel any more.");
            await agent.RegisterAsync(node, registration, cancellationToken);
            logger.LogInformation("Registered {ServiceId} ({Service}) with the Consul agent of node {Node}", registration.Id, registration.Name, member.Node);
        }
        _ttlChecks[release.Service] = wanted.Where(w => w.Registration.Check?.Ttl is not null)
            .Select(w => (w.Member.Node, w.Registration.Check!.Id)).ToList();
    }

    /// <summary>Removes an instance the panel registered, through the agent of the node it names.</summary>
    public async Task DeregisterAsync(CatalogServiceInstance instance, CancellationToken cancellationToken)
    {
        if (nodes.Find(instance.Meta.GetValueOrDefault(ConsulReplicaRegistration.NodeMeta) ?? "") is not { } node)
        {
            logger.LogWarning("Cannot deregister {ServiceId}: its node {Node} is not known to the panel any more", instance.ServiceId, instance.Meta.GetValueOrDefault(ConsulReplicaRegistration.NodeMeta));
            return;
        }
        await agent.DeregisterAsync(node, instance.ServiceId, cancellationToken);
        logger.LogInformation("Deregistered {ServiceId} from the Consul agent of node {Node}", instance.ServiceId, node.Name);
    }

    /// <summary>Registered as wanted: same address, port, tags and meta (a new release re-registers with its own).</summary>
    private static bool Matches(CatalogServiceInstance registered, ServiceRegistration wanted) =>
        registered.ServiceId == wanted.Id && registered.Address == wanted.Address && registered.Port == wanted.Port
        && registered.Tags.SequenceEqual(wanted.Tags) && wanted.Meta.All(m => registered.Meta.GetValueOrDefault(m.Key) == m.Value);
}
