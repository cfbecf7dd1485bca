using System.Net.Sockets;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Infrastructure.Sockets;

/// <summary>
/// Where the panel reaches a replica. Replicas use their host's network, so a replica's address is its node's host:
/// the host of a tcp:// endpoint, or this machine for a unix:// one.
/// </summary>
public static class ReplicaAddress
{
    /// <summary>The node's host as a URI writes it (an IPv6 address in brackets).</summary>
    public static string Host(NodeDefinition node) =>
        Uri.TryCreate(node.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "tcp" or "http" or "https" ? endpoint.Host : "127.0.0.1";

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
