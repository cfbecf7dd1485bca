namespace ControlPanel.Core.Fleet;

/// <summary>
/// Where the panel learns which nodes exist: configuration, the database and Consul's catalog, merged by
/// <see cref="NodeDirectory"/>, so pages and services never ask which.
/// </summary>
public interface INodeDirectory
{
    /// <summary>All known nodes, including those whose configuration is invalid or that take no new replicas.</summary>
    IReadOnlyList<NodeDefinition> GetNodes();

    /// <summary>The node with this name (case-sensitive), or null.</summary>
    NodeDefinition? Find(string name) => GetNodes().FirstOrDefault(n => n.Name == name);

    /// <summary>Why part of the list may be stale, per source (Consul unreachable); empty when every source answers.</summary>
    IReadOnlyList<string> Problems => [];

    /// <summary>Completes once every source has its first list: until then nodes from Consul are missing.</summary>
    Task Ready => Task.CompletedTask;

    /// <summary>Raised after the list (or a node's availability) changed.</summary>
    event Action? Changed
    {
        add { }
        remove { }
    }
}

/// <summary>Nodes an Admin cordoned (no new replicas), whatever their origin, with the reason to show.</summary>
public interface INodeCordons
{
    /// <summary>Node name → who cordoned it, when, and why, in words.</summary>
    IReadOnlyDictionary<string, string> Cordoned { get; }

    event Action? Changed;
}
