using System.Text.Json.Serialization;

namespace ControlPanel.Core.Discovery;

/// <summary>
/// How a service's replicas are registered in Consul (when the panel has Consul configured). Without it every
/// replica of a service with a port is registered under the service's own name on its first port.
/// </summary>
/// <param name="Register">False keeps this service out of Consul.</param>
/// <param name="Name">The Consul service name (default: the panel's service name).</param>
/// <param name="PortName">Which of the service's ports consumers reach (default: the first).</param>
/// <param name="Tags">Tags on every instance, e.g. a Fabio <c>urlprefix-/</c> or Traefik rule.</param>
/// <param name="Gate">A new replica counts as rolled out only once Consul reports all its checks passing.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DiscoverySpec(bool Register = true, string? Name = null, string? PortName = null, IReadOnlyList<string>? Tags = null, bool Gate = false)
{
    /// <summary>The defaults that apply when a spec says nothing.</summary>
    public static DiscoverySpec Default { get; } = new();
}
