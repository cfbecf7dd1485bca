using System.Globalization;
using ControlPanel.Core.Discovery;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Traffic;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// What the panel registers for one replica, Registrator-style: an ID derived from the container, the node's address
/// and the replica's port, tags from the spec, meta naming the release, image digest and deployment (and marking the
/// instance as the panel's, so a reconcile never touches anything else), and a check translated from the service's
/// health: HTTP and TCP probes become Consul's own checks, anything else a TTL the panel keeps passing.
/// </summary>
public static class ConsulReplicaRegistration
{
    public const string ManagedByMeta = "managed_by";
    public const string ManagedByValue = "controlpanel";
    public const string ServiceMeta = "controlpanel_service";
    public const string NodeMeta = "controlpanel_node";
    public const string ContainerMeta = "controlpanel_container";
    public const string ReleaseMeta = "release";
    public const string DigestMeta = "image_digest";
    public const string DeploymentMeta = "deployment_id";

    /// <summary>How long a TTL check stays passing without the panel renewing it.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    /// <summary>An instance left critical this long (the panel gone for good) is removed by the agent itself.</summary>
    public static readonly TimeSpan DeregisterCriticalAfter = TimeSpan.FromMinutes(30);

    /// <summary>The Consul service ID of a replica: the panel's service and the container's short ID.</summary>
    public static string ServiceId(string service, string containerId) => $"{service}-{containerId[..Math.Min(12, containerId.Length)]}";

    /// <summary>The check's ID, so a TTL can be renewed by name.</summary>
    public static string CheckId(string serviceId) => "service:" + serviceId;

    /// <summary>The registration of <paramref name="member"/>, or null when the spec keeps the service out of Consul or the replica lacks the port.</summary>
    public static ServiceRegistration? For(Release release, RotationMember member)
    {
        if (DiscoveryRules.Effective(release.Spec) is not { } discovery) return null;
        if (!member.Ports.TryGetValue(discovery.PortName, out var port)) return null;
        var id = ServiceId(release.Service, member.ContainerId);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ManagedByMeta] = ManagedByValue,
            [ServiceMeta] = release.Service,
            [NodeMeta] = member.Node,
            [ContainerMeta] = member.ContainerId,
            // The replica's own labels say which release and deployment created it; the release object may be newer.
            [ReleaseMeta] = member.Labels.GetValueOrDefault(ReplicaLabels.Release) ?? release.Number.ToString(CultureInfo.InvariantCulture),
            [DigestMeta] = release.Digest,
            [DeploymentMeta] = member.Labels.GetValueOrDefault(ReplicaLabels.Deployment) ?? "",
        };
        var name = discovery.Name ?? release.Service;
        return new ServiceRegistration(id, name, member.Host, port, discovery.Tags, meta, CheckFor(release.Spec, member, id, $"{name} health, as the panel checks it"));
    }

    private static ServiceCheck CheckFor(RuntimeSpec spec, RotationMember member, string id, string name)
    {
        switch (spec.Health)
        {
            case HealthKind.Http when spec.HttpProbe is { } h && PortOf(member, h.PortName, h.Port) is { } port:
                return new ServiceCheck(CheckId(id), name, Http: $"http://{member.Host}:{port}{h.Path}", Interval: TimeSpan.FromSeconds(10),
                    Timeout: TimeSpan.FromSeconds(h.TimeoutSeconds), DeregisterCriticalAfter: DeregisterCriticalAfter);
            case HealthKind.Tcp when spec.TcpProbe is { } t && PortOf(member, t.PortName, t.Port) is { } port:
                return new ServiceCheck(CheckId(id), name, Tcp: $"{member.Host}:{port}", Interval: TimeSpan.FromSeconds(10),
                    Timeout: TimeSpan.FromSeconds(t.TimeoutSeconds), DeregisterCriticalAfter: DeregisterCriticalAfter);
            default:
                // Registered once the panel found it healthy: it starts passing, and the panel renews it from then on.
                return new ServiceCheck(CheckId(id), name, Ttl: Ttl, DeregisterCriticalAfter: DeregisterCriticalAfter, Status: CheckStatus.Passing);
        }
    }

    private static int? PortOf(RotationMember member, string? portName, int? port) =>
        port ?? (portName is not null && member.Ports.TryGetValue(portName, out var p) ? p : null);

    /// <summary>Whether the instance was registered by the panel (and so may be removed by it).</summary>
    public static bool IsManaged(CatalogServiceInstance instance) =>
        instance.Meta.TryGetValue(ManagedByMeta, out var by) && by == ManagedByValue && instance.Meta.ContainsKey(ServiceMeta);
}
