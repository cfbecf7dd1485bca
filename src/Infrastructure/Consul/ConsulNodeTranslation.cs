using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// The convention by which a host advertises its Docker engine in Consul (the README's machine-image recipe): a
/// service named <see cref="ConsulOptions.NodeService"/> on the host's agent, with meta <c>docker_endpoint</c>
/// (tcp://host:2376; without it, tcp:// on the service's address and port) and <c>label_*</c> meta keys as the
/// node's labels. The Consul node name is the panel's node name.
/// </summary>
public static class ConsulNodeTranslation
{
    public const string EndpointMeta = "docker_endpoint";
    public const string LabelMetaPrefix = "label_";

    /// <summary>
    /// The nodes <paramref name="entries"/> advertise; those of <paramref name="previous"/> no longer listed stay, as Left
    /// (or as they were, with <paramref name="keepMissing"/>, when the answer may be partial).
    /// </summary>
    public static IReadOnlyList<NodeDefinition> Translate(IReadOnlyList<ServiceHealth> entries, IReadOnlyList<NodeDefinition> previous, ConsulOptions options, bool keepMissing = false)
    {
        var nodes = new List<NodeDefinition>();
        foreach (var entry in entries.GroupBy(e => e.Node.Name, StringComparer.Ordinal).Select(g => g.First()))
            nodes.Add(ToNode(entry, options));
        var listed = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in previous.Where(p => !listed.Contains(p.Name)))
            nodes.Add(keepMissing ? gone : gone with { Availability = NodeAvailability.Left, AvailabilityReason = $"Left Consul's catalog (no '{options.NodeService}' service on node '{gone.Name}' any more)." });
        return nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
    }

    private static NodeDefinition ToNode(ServiceHealth entry, ConsulOptions options)
    {
        var name = entry.Node.Name;
        var service = entry.Service;
        var endpoint = service.Meta.TryGetValue(EndpointMeta, out var advertised) && advertised.Trim().Length > 0
            ? advertised.Trim()
            : $"tcp://{service.Address}:{service.Port}";
        var labels = service.Meta.Where(m => m.Key.StartsWith(LabelMetaPrefix, StringComparison.Ordinal) && m.Key.Length > LabelMetaPrefix.Length)
            .ToDictionary(m => m.Key[LabelMetaPrefix.Length..], m => m.Value, StringComparer.Ordinal);
        var tls = TlsFor(name, options);
        var node = new NodeDefinition(name, endpoint, labels, tls, EndpointError(name, endpoint, tls, options), NodeOrigin.Consul);
        var critical = entry.Checks.Where(c => c.Status == CheckStatus.Critical).ToList();
        return critical.Count == 0 ? node : node with
        {
            Availability = NodeAvailability.Critical,
            AvailabilityReason = "Consul reports " + string.Join("; ", critical.Select(c => $"'{c.Name}' critical{(string.IsNullOrWhiteSpace(c.Output) ? "" : ": " + c.Output.Trim())}")),
        };
    }

    private static NodeTls? TlsFor(string node, ConsulOptions options)
    {
        if (options.NodeCertificatesDirectory is not { Length: > 0 } root) return null;
        var own = Path.Combine(root, node);
        return new NodeTls(Directory.Exists(own) ? own : root);
    }

    /// <summary>Why the advertised engine cannot be used (shown on the node, never contacted), or null.</summary>
    public static string? EndpointError(string name, string endpoint, NodeTls? tls, ConsulOptions options)
    {
        var at = $"Consul's '{options.NodeService}' service on node '{name}'";
        if (!NodeRules.IsValidName(name)) return $"{at}: the node name may only use letters, digits, '.', '-' and '_'.";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) return $"{at} advertises '{endpoint}', which is not a URI; use tcp://host:2376.";
        switch (uri.Scheme)
        {
            case "tcp" when uri.Port <= 0:
                return $"{at} advertises '{endpoint}' without a port.";
            case "tcp" when tls is not null:
                var missing = NodeRules.MissingTlsFiles(tls.CertificatesDirectory);
                return missing.Count == 0 ? null : $"{at}: the certificate folder '{tls.CertificatesDirectory}' lacks {string.Join(", ", missing)}.";
            case "tcp":
                return options.AllowInsecureTcp ? null
                    : $"{at} advertises tcp:// without TLS; set ControlPanel:Consul:NodeCertificatesDirectory, or AllowInsecureTcp=true to accept the risk.";
            case "unix":
                return options.AllowUnixEndpoints ? null
                    : $"{at} advertises a unix:// socket, which only a lab on the panel's own machine can use; set ControlPanel:Consul:AllowUnixEndpoints=true for one.";
            default:
                return $"{at} advertises the scheme '{uri.Scheme}'; use tcp://.";
        }
    }
}
