namespace ControlPanel.Core.Fleet;

public enum NodeReachability
{
    Reachable,
    Unreachable,
    Misconfigured,
}

/// <summary>What one node answered (or why it did not).</summary>
public sealed record NodeStatus(
    NodeDefinition Node,
    NodeReachability Reachability,
    string? Error,
    TimeSpan? RoundTrip,
    EngineInfo? Engine)
{
    public static NodeStatus Misconfigured(NodeDefinition node) =>
        new(node, NodeReachability.Misconfigured, node.ConfigurationError, null, null);

    public static NodeStatus Unreachable(NodeDefinition node, string reason) =>
        new(node, NodeReachability.Unreachable, reason, null, null);
}

/// <summary>The engine facts shown on the Nodes page.</summary>
public sealed record EngineInfo(
    string Version,
    string ApiVersion,
    string OperatingSystem,
    string Architecture,
    string KernelVersion,
    int Cpus,
    long MemoryBytes,
    int ContainersRunning,
    int ContainersPaused,
    int ContainersStopped,
    int Images);
