using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Configuration;

/// <summary>
/// Nodes from configuration. A node whose settings are wrong is kept, with the reason, so the panel
/// still starts and shows what to fix instead of refusing to run.
/// </summary>
/// <param name="embeddedDefault">
/// With no node configured, the local engine is the one node; off when another source (Consul) brings the nodes.
/// </param>
public sealed class ConfiguredNodes : INodeSource, IDisposable
{
    public const string LocalEndpoint = "unix:///var/run/docker.sock";

    private readonly IOptionsMonitor<ControlPanelOptions> _options;
    private readonly bool _embeddedDefault;
    private readonly IDisposable? _subscription;

    public ConfiguredNodes(IOptionsMonitor<ControlPanelOptions> options, bool embeddedDefault = true)
    {
        _options = options;
        _embeddedDefault = embeddedDefault;
        _subscription = options.OnChange(_ => Changed?.Invoke());
    }

    public NodeOrigin Origin => NodeOrigin.Configured;

    public string? Problem => null;

    public event Action? Changed;

    public IReadOnlyList<NodeDefinition> GetNodes() =>
        _options.CurrentValue.Nodes.Count == 0 && !_embeddedDefault ? [] : Build(_options.CurrentValue.Nodes);

    public void Dispose() => _subscription?.Dispose();

    public static IReadOnlyList<NodeDefinition> Build(IReadOnlyList<NodeOptions> configured)
    {
        if (configured.Count == 0) return [new NodeDefinition("local", LocalEndpoint, new Dictionary<string, string>())];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new List<NodeDefinition>(configured.Count);
        for (var i = 0; i < configured.Count; i++)
        {
            var o = configured[i];
            var name = string.IsNullOrWhiteSpace(o.Name) ? $"node-{i}" : o.Name.Trim();
            var error = Validate(i, o, name) ?? (seen.Add(name) ? null : $"ControlPanel:Nodes:{i}:Name '{name}' is used by another node.");
            var tls = string.IsNullOrWhiteSpace(o.TlsCertificatesDirectory) ? null : new NodeTls(o.TlsCertificatesDirectory);
            nodes.Add(new NodeDefinition(name, o.Endpoint?.Trim() ?? "", o.Labels, tls, error));
        }
        return nodes;
    }

    private static string? Validate(int index, NodeOptions o, string name)
    {
        var at = $"ControlPanel:Nodes:{index}";
        if (string.IsNullOrWhiteSpace(o.Name)) return $"{at}:Name is missing.";
        if (!NodeRules.IsValidName(name)) return $"{at}:Name '{name}' may only use letters, digits, '.', '-' and '_'.";
        if (string.IsNullOrWhiteSpace(o.Endpoint)) return $"{at}:Endpoint is missing.";
        if (!Uri.TryCreate(o.Endpoint.Trim(), UriKind.Absolute, out var uri))
            return $"{at}:Endpoint '{o.Endpoint}' is not a URI; use unix:///path/docker.sock or tcp://host:2376.";
        switch (uri.Scheme)
        {
            case "unix":
                return uri.AbsolutePath is { Length: > 1 } ? null : $"{at}:Endpoint '{o.Endpoint}' names no socket path.";
            case "tcp":
                if (uri.Port <= 0) return $"{at}:Endpoint '{o.Endpoint}' needs a port, e.g. tcp://host:2376.";
                if (o.TlsCertificatesDirectory is { Length: > 0 } dir)
                {
                    var missing = NodeRules.MissingTlsFiles(dir);
                    return missing.Count == 0 ? null : $"{at}:TlsCertificatesDirectory '{dir}' lacks {string.Join(", ", missing)}.";
                }
                return o.AllowInsecureTcp ? null
                    : $"{at}: tcp:// without TLS is refused; set TlsCertificatesDirectory, or AllowInsecureTcp=true to accept the risk.";
            default:
                return $"{at}:Endpoint scheme '{uri.Scheme}' is not supported; use unix:// or tcp://.";
        }
    }
}
