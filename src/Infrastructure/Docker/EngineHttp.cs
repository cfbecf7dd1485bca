using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure.Docker.Telemetry;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// Plain HttpClients to each engine for the few calls read as raw byte streams (container logs),
/// over the node's unix socket or mutual TLS, with the same certificates as the Docker client.
/// </summary>
/// <param name="protector">Decrypts the certificates of nodes stored in the panel's database.</param>
public sealed class EngineHttp(ISecretProtector? protector = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> _clients = new();

    public HttpClient For(NodeDefinition node)
    {
        NodeEndpoint.EnsureReachable(node);
        return _clients.GetOrAdd(DockerClientPool.ClientKey(node), _ => new Lazy<HttpClient>(() => Create(node))).Value;
    }

    private HttpClient Create(NodeDefinition node) => new(new MeasuredEngineHandler(node.Name, CreateHandler(node)))
    {
        BaseAddress = BaseAddressOf(node),
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static Uri BaseAddressOf(NodeDefinition node)
    {
        var endpoint = new Uri(node.Endpoint);
        if (endpoint.Scheme == "unix") return new Uri("http://docker");
        return new Uri($"{(node.Tls is null ? "http" : "https")}://{endpoint.Host}:{endpoint.Port}");
    }

    private SocketsHttpHandler CreateHandler(NodeDefinition node)
    {
        var endpoint = new Uri(node.Endpoint);
        // Log streams stay open for as long as someone follows them.
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1), MaxConnectionsPerServer = int.MaxValue };
        if (endpoint.Scheme == "unix")
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            };
            return handler;
        }
        if (node.Tls is { } tls)
        {
            var (client, ca) = NodeCertificates.Load(node, tls, protector);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [client],
                // Trust exactly the configured CA, nothing from the system store.
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca } },
            };
        }
        return handler;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated)) client.Value.Dispose();
    }
}
