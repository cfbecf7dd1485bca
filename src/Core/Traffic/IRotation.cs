using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Traffic;

/// <summary>
/// Something that sends traffic to a service's replicas: a front proxy's upstream (nginx), later a service catalog
/// (Consul). A rollout goes through <see cref="TrafficRotation"/>, which calls every rotation that carries the
/// service without knowing which they are.
/// </summary>
public interface IRotation
{
    /// <summary>Whether this rotation sends traffic to a service that runs under <paramref name="spec"/>.</summary>
    bool Carries(RuntimeSpec spec);

    /// <summary>
    /// Makes the rotation hold exactly <paramref name="members"/> of <paramref name="release"/>'s service (none is
    /// valid). Idempotent. Throws <see cref="RotationFailedException"/>, with the rotation's own words, when it refuses;
    /// what sent traffic before then still does.
    /// </summary>
    Task SetMembersAsync(Release release, IReadOnlyList<RotationMember> members, CancellationToken cancellationToken);

    /// <summary>
    /// Readies a router's replica that just started with the members of every service routed through it, before it
    /// counts as healthy. A rotation without routers does nothing.
    /// </summary>
    Task PrepareRouterAsync(NodeDefinition node, string containerId, IReadOnlyList<RoutedMembers> routes, CancellationToken cancellationToken);

    /// <summary>
    /// After a new replica was put in: waits until the rotation itself reports it ready for traffic (Consul's checks
    /// passing), when the spec asks for that gate; returns at once otherwise. Throws <see cref="RotationFailedException"/>
    /// when the rotation cannot say, and lets <paramref name="cancellationToken"/> end a wait that runs too long.
    /// </summary>
    Task WaitServingAsync(Release release, RotationMember member, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A replica that can be sent traffic: its node's address (host networking) and its port.</summary>
/// <param name="Port">The port its route names; 0 when the service has no route (or the replica lacks that port).</param>
public sealed record RotationMember(string Node, string Host, int Port, string ContainerId)
{
    /// <summary>Every port the replica was given, by port name.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; init; } = new Dictionary<string, int>();

    /// <summary>The replica's container labels (release, deployment), for rotations that describe each member.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>A routed service's release and the members it has now.</summary>
public sealed record RoutedMembers(Release Release, IReadOnlyList<RotationMember> Members);

/// <summary>A rotation refused a change (nginx -t failed, a router did not answer); nothing it sent traffic to was changed.</summary>
public sealed class RotationFailedException(string message, Exception? inner = null) : ControlPanelException(message, inner);
