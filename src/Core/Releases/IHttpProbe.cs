using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <param name="Detail">What was asked and what came back (status, or why nothing did).</param>
public sealed record ProbeResult(bool Healthy, string Detail);

/// <summary>Probes a replica over HTTP from the panel's side, as a load balancer in front of it would.</summary>
public interface IHttpProbe
{
    /// <summary>GETs <paramref name="path"/> on the node's host and <paramref name="port"/>; healthy on 2xx or 3xx. Never throws for an unhealthy replica.</summary>
    Task<ProbeResult> ProbeAsync(NodeDefinition node, int port, string path, TimeSpan timeout, CancellationToken cancellationToken);
}
