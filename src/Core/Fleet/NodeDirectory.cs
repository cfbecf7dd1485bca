namespace ControlPanel.Core.Fleet;

/// <summary>
/// The merged list of nodes: every source in <see cref="NodeOrigin"/>'s order (configuration wins a name clash, and
/// the clash is shown on the winner), with cordons applied. Rebuilt when a source changes, so reads are free.
/// </summary>
public sealed class NodeDirectory : INodeDirectory
{
    private readonly IReadOnlyList<INodeSource> _sources;
    private readonly INodeCordons? _cordons;
    private readonly Lock _lock = new();
    private IReadOnlyList<NodeDefinition> _nodes = [];

    public NodeDirectory(IEnumerable<INodeSource> sources, IEnumerable<INodeCordons> cordons)
    {
        _sources = sources.OrderBy(s => s.Origin).ToList();
        _cordons = cordons.FirstOrDefault();
        foreach (var source in _sources) source.Changed += Rebuild;
        if (_cordons is not null) _cordons.Changed += Rebuild;
        Rebuild();
    }

    public event Action? Changed;

    public IReadOnlyList<NodeDefinition> GetNodes() => _nodes;

    public IReadOnlyList<string> Problems => _sources.Select(s => s.Problem).OfType<string>().ToList();

    public Task Ready => Task.WhenAll(_sources.Select(s => s.Ready));

    private void Rebuild()
    {
        lock (_lock) _nodes = Merge(_sources.Select(s => (s.Origin, s.GetNodes())), _cordons?.Cordoned ?? new Dictionary<string, string>());
        Changed?.Invoke();
    }

    /// <summary>The first node of each name wins; a later one of the same name is noted on it and dropped.</summary>
    public static IReadOnlyList<NodeDefinition> Merge(IEnumerable<(NodeOrigin Origin, IReadOnlyList<NodeDefinition> Nodes)> sources, IReadOnlyDictionary<string, string> cordoned)
    {
        var merged = new List<NodeDefinition>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (origin, nodes) in sources)
            foreach (var node in nodes)
            {
                if (byName.TryGetValue(node.Name, out var at))
                {
                    var winner = merged[at];
                    // Two entries of one source with one name are that source's own error, already on the node.
                    if (winner.Origin != origin)
                        merged[at] = winner with { Conflict = $"{Describe(origin)} also names a node '{node.Name}' ({node.Endpoint}); {Describe(winner.Origin)} wins." };
                    continue;
                }
                byName[node.Name] = merged.Count;
                merged.Add(cordoned.TryGetValue(node.Name, out var why) && node.Availability == NodeAvailability.Active
                    ? node with { Availability = NodeAvailability.Cordoned, AvailabilityReason = why }
                    : node);
            }
        return merged;
    }

    private static string Describe(NodeOrigin origin) => origin switch
    {
        NodeOrigin.Configured => "the configuration",
        NodeOrigin.Stored => "the panel's node list",
        _ => "Consul's catalog",
    };
}
