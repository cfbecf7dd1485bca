using System.Text.RegularExpressions;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Discovery;

/// <summary>What a service's Consul registration must say; each error names the field.</summary>
public static partial class DiscoveryRules
{
    public const int MaxTags = 32;

    public static void Check(RuntimeSpec spec)
    {
        if (spec.Discovery is not { } d) return;
        // Consul's DNS interface needs service names that are valid DNS labels.
        if (d.Name is { } name && !DnsLabel().IsMatch(name))
            Fail("runtime.discovery.name", $"must be 1–63 letters, digits and '-' (a DNS label), starting and ending with a letter or digit; got '{name}'.");
        if (d.PortName is { } port && spec.Ports.All(p => p.Name != port))
            Fail("runtime.discovery.portName", $"'{port}' is not one of the service's ports ({(spec.Ports.Count == 0 ? "it has none" : string.Join(", ", spec.Ports.Select(p => p.Name)))}).");
        if (d.Register && spec.Ports.Count == 0)
            Fail("runtime.discovery", "registers replicas at a port, and the service has none; add a port or set register to false.");
        if (d.Gate && !d.Register) Fail("runtime.discovery.gate", "needs register: a replica that is not registered never passes Consul's checks.");
        var tags = d.Tags ?? [];
        if (tags.Count > MaxTags) Fail("runtime.discovery.tags", $"may hold at most {MaxTags} tags; got {tags.Count}.");
        foreach (var tag in tags)
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > 256 || tag.Any(char.IsControl))
                Fail("runtime.discovery.tags", $"each tag must be 1–256 characters without control characters; got '{tag}'.");
    }

    /// <summary>The registration a spec asks for, or null when its replicas stay out of Consul.</summary>
    public static (string? Name, string PortName, IReadOnlyList<string> Tags, bool Gate)? Effective(RuntimeSpec spec)
    {
        var d = spec.Discovery ?? DiscoverySpec.Default;
        if (!d.Register || spec.Ports.Count == 0) return null;
        return (d.Name, d.PortName ?? spec.Ports[0].Name, d.Tags ?? [], d.Gate);
    }

    private static void Fail(string field, string reason) => throw new InvalidRequestException(field, $"'{field}' {reason}");

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsLabel();
}
