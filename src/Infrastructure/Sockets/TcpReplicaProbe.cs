using System.Net.Sockets;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Infrastructure.Sockets;

/// <summary>Healthy when the replica's port accepts a new connection. A server that accepts but no longer answers passes: that is what the FastCGI and HTTP probes are for.</summary>
public sealed class TcpReplicaProbe : ITcpProbe
{
    public async Task<ProbeResult> ProbeAsync(NodeDefinition node, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = $"{ReplicaAddress.Host(node)}:{port}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var socket = await ReplicaAddress.ConnectAsync(node, port, deadline.Token);
            return new ProbeResult(true, $"connecting to {address} succeeded");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"connecting to {address} did not succeed within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            return new ProbeResult(false, $"connecting to {address} failed: {ex.Message}");
        }
    }
}
