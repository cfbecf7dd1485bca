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
public sealed class ConsulRotation(IConsulAgent agent, IConsulCatalog catalog, INodeDirectory nodes, IReleaseStore releases, IOptions<ConsulOptions> options,
    ILogger<ConsulRotation> logger) : IRotation
{
    // Per panel service, the Consul names its instances were last seen under (by the reconcile), so an apply also
    // finds those left under a name the service no longer uses.
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _namesSeen = new(StringComparer.Ordinal);

    // Per Consul service ID, the TTL check the panel registered and the node whose agent holds it: what is renewed.
    private readonly ConcurrentDictionary<string, (string Node, string CheckId)> _ttlChecks = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Reports every TTL check the panel registered as passing, all at once and each within a few seconds, so one dead
    /// agent cannot hold up the others past their TTL; a failure is logged and the others go on.
    /// </summary>
    public async Task RenewTtlChecksAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_ttlChecks.Values.ToList().Select(async check =>
        {
            if (nodes.Find(check.Node) is not { } node) return;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await agent.ReportTtlAsync(node, check.CheckId, CheckStatus.Passing, "running and healthy, as the panel last saw it", limit.Token);
            }
            catch (Exception ex) when (ex is ConsulException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogWarning("Could not renew Consul check {CheckId} on node {Node}: {Reason}", check.CheckId, check.Node, ex.Message);
            }
        }));
    }

    private async Task ApplyAsync(Release release, IReadOnlyList<RotationMember> members, CancellationToken cancellationToken)
    {
        // Each replica is registered as its own release says (name, tags, check, digest): mid-rollout, members of the
        // old and the new release are in rotation side by side, and a re-apply must not relabel either.
        var byNumber = new Dictionary<int, Release> { [release.Number] = release };
        foreach (var number in members.Select(ReleaseNumberOf).OfType<int>().Distinct().Where(n => !byNumber.ContainsKey(n)).ToList())
            if (await releases.FindReleaseAsync(release.Service, number, cancellationToken) is { } own) byNumber[number] = own;
        Release ReleaseOf(RotationMember m) => ReleaseNumberOf(m) is { } n && byNumber.TryGetValue(n, out var own) ? own : release;
        var wanted = members.Select(m => (Member: m, Registration: ConsulReplicaRegistration.For(ReleaseOf(m), m)))
            .Where(w => w.Registration is not null).Select(w => (w.Member, Registration: w.Registration!)).ToList();
        var names = byNumber.Values.Select(r => DiscoveryRules.Effective(r.Spec)?.Name ?? release.Service)
            .Concat(_namesSeen.GetValueOrDefault(release.Service) ?? []).Distinct(StringComparer.Ordinal).ToList();
        var registered = new List<CatalogServiceInstance>();
        foreach (var name in names)
            registered.AddRange((await catalog.ServiceAsync(name, 0, TimeSpan.Zero, cancellationToken)).Value
                .Where(i => ConsulReplicaRegistration.IsManaged(i) && i.Meta[ConsulReplicaRegistration.ServiceMeta] == release.Service));
        // Out first: a leaving replica must be gone from the catalog before its drain starts.
        foreach (var stale in registered.Where(r => wanted.All(w => w.Registration.Id != r.ServiceId || w.Registration.Name != r.ServiceName)))
            await DeregisterAsync(stale, cancellationToken);
        foreach (var (member, registration) in wanted)
        {
            if (!registered.Any(r => Matches(r, registration)))
            {
                var node = nodes.Find(member.Node) ?? throw new ConsulConfigurationException($"Node '{member.Node}' is not known to the panel any more.");
                await agent.RegisterAsync(node, registration, cancellationToken);
                logger.LogInformation("Registered {ServiceId} ({Service}) with the Consul agent of node {Node}", registration.Id, registration.Name, member.Node);
            }
            // Renewed from the moment it is registered, even if a later member fails this apply.
            if (registration.Check?.Ttl is not null) _ttlChecks[registration.Id] = (member.Node, registration.Check.Id);
        }
    }

    /// <summary>The reconcile found the service's instances under these names.</summary>
    public void Saw(string service, IEnumerable<string> names) => _namesSeen[service] = names.Distinct(StringComparer.Ordinal).ToList();

    private static int? ReleaseNumberOf(RotationMember member) =>
        member.Labels.TryGetValue(ReplicaLabels.Release, out var r) && int.TryParse(r, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Removes an instance the panel registered, through the agent of the node it names.</summary>
    public async Task DeregisterAsync(CatalogServiceInstance instance, CancellationToken cancellationToken)
    {
        if (nodes.Find(instance.Meta.GetValueOrDefault(ConsulReplicaRegistration.NodeMeta) ?? "") is not { } node)
        {
            logger.LogWarning("Cannot deregister {ServiceId}: its node {Node} is not known to the panel any more", instance.ServiceId, instance.Meta.GetValueOrDefault(ConsulReplicaRegistration.NodeMeta));
            return;
        }
        try
        {
            await agent.DeregisterAsync(node, instance.ServiceId, cancellationToken);
        }
        catch (ConsulUnavailableException ex) when (node.Availability is NodeAvailability.Critical or NodeAvailability.Left)
        {
            // Its agent is down with its host: Consul already fails the node's checks, so the instance gets no traffic,
            // and the agent drops it after DeregisterCriticalAfter. Failing every deployment over it would help nobody.
            logger.LogWarning("Could not deregister {ServiceId} from node {Node}, which Consul reports {Availability}: {Reason}", instance.ServiceId, node.Name, node.Availability, ex.Message);
            return;
        }
        _ttlChecks.TryRemove(instance.ServiceId, out _);
        logger.LogInformation("Deregistered {ServiceId} from the Consul agent of node {Node}", instance.ServiceId, node.Name);
    }

    /// <summary>Registered as wanted: same address, port, tags and meta (a new release re-registers with its own).</summary>
    private static bool Matches(CatalogServiceInstance registered, ServiceRegistration wanted) =>
        registered.ServiceId == wanted.Id && registered.Address == wanted.Address && registered.Port == wanted.Port
        && registered.Tags.SequenceEqual(wanted.Tags) && wanted.Meta.All(m => registered.Meta.GetValueOrDefault(m.Key) == m.Value);
}
