using System.Net.Sockets;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Infrastructure.Sockets;

/// <summary>
/// Where the panel reaches a replica: its node's <see cref="NodeDefinition.ReplicaHost"/> (replicas use their host's network).
/// </summary>
public static class ReplicaAddress
{
    /// <summary>The node's host as a URI writes it (an IPv6 address in brackets): <see cref="NodeDefinition.ReplicaHost"/>.</summary>
    public static string Host(NodeDefinition node) => node.ReplicaHost;

    /// <summary>Opens a new TCP connection to <paramref name="port"/> on the node's host; the caller disposes the socket.</summary>
    public static async Task<Socket> ConnectAsync(NodeDefinition node, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(Host(node).Trim('[', ']'), port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
