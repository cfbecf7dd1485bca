namespace ControlPanel.Core.Fleet;

/// <summary>
/// Where the panel learns which nodes exist. Configuration provides them today; a Consul-backed
/// directory can replace it without touching pages or services.
/// </summary>
public interface INodeDirectory
{
    /// <summary>All known nodes, including those whose configuration is invalid.</summary>
    IReadOnlyList<NodeDefinition> GetNodes();

    /// <summary>The node with this name (case-sensitive), or null.</summary>
    NodeDefinition? Find(string name) => GetNodes().FirstOrDefault(n => n.Name == name);
}
