using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>Checks shared by every transport to an engine (the Docker client and the raw log streams).</summary>
internal static class NodeEndpoint
{
    /// <summary>Throws <see cref="EngineUnavailableException"/> for a misconfigured node or a missing unix socket.</summary>
    public static void EnsureReachable(NodeDefinition node)
    {
        if (!node.IsUsable) throw new EngineUnavailableException(node.Name, node.ConfigurationError!);
        // A missing socket surfaces from the socket layer as "Cannot assign requested address"; say what it means.
        if (node.Endpoint.StartsWith("unix://", StringComparison.Ordinal) && new Uri(node.Endpoint).AbsolutePath is var socket && !File.Exists(socket))
            throw new EngineUnavailableException(node.Name, $"no Docker socket at {socket} (is the engine running there?)") { EngineRefused = true };
    }
}
