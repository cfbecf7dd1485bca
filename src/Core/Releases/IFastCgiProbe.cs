using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>Probes a replica's FastCGI server (PHP-FPM) from the panel's side, as the web server in front of it would ask it.</summary>
public interface IFastCgiProbe
{
    /// <summary>
    /// Asks the FastCGI server on the node's host and <paramref name="port"/> for <paramref name="path"/> (GET); healthy when it
    /// answers 2xx with <paramref name="expectedResponse"/> as its body (white space around it ignored) within <paramref name="timeout"/>.
    /// Never throws for an unhealthy replica.
    /// </summary>
    Task<ProbeResult> ProbeAsync(NodeDefinition node, int port, string path, string expectedResponse, TimeSpan timeout, CancellationToken cancellationToken);
}
