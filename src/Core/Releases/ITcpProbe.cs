using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>Probes whether a replica accepts TCP connections, from the panel's side.</summary>
public interface ITcpProbe
{
    /// <summary>Connects to the node's host and <paramref name="port"/> and closes again; healthy when accepted within <paramref name="timeout"/>. Never throws for an unhealthy replica.</summary>
    Task<ProbeResult> ProbeAsync(NodeDefinition node, int port, TimeSpan timeout, CancellationToken cancellationToken);
}
