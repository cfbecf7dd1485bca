using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure.Docker.Telemetry;
using Docker.DotNet;
using Docker.DotNet.LegacyHttp;
using Docker.DotNet.Unix;
using Docker.DotNet.X509;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// One Docker.DotNet client per node, created on first use and kept: clients pool their connections,
/// so creating one per call would reconnect every time.
/// </summary>
/// <param name="protector">Decrypts the certificates of nodes stored in the panel's database.</param>
public sealed class DockerClientPool(ISecretProtector? protector = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DockerClient>> _clients = new();

    public DockerClient For(NodeDefinition node)
    {
        NodeEndpoint.EnsureReachable(node);
        // Keyed by name, endpoint and certificates so a node whose endpoint or certificates change gets a fresh client.
        // The one it replaces stays until the panel stops: a call may still be using it, and edits are rare.
        var key = ClientKey(node);
        return _clients.GetOrAdd(key, _ => new Lazy<DockerClient>(() => Create(node))).Value;
    }

    /// <summary>A stored node's key ciphertext changes with every save, so it marks a new set of certificates.</summary>
    internal static string ClientKey(NodeDefinition node) => $"{node.Name}|{node.Endpoint}|{node.Tls?.CertificatesDirectory}|{node.Tls?.Stored?.ProtectedKey}";

    private DockerClient Create(NodeDefinition node)
    {
        // No API version is pinned: requests go unversioned and the engine answers in its own
        // version, so the same client works against 20.10 (API 1.41) and current engines.
        var builder = new DockerClientBuilder().WithEndpoint(new Uri(node.Endpoint));
        if (node.Tls is { } tls)
        {
            var (client, authority) = NodeCertificates.Load(node, tls, protector);
            builder = builder.WithAuthProvider(new MeasuredAuthProvider(new DockerTlsCertificates(client, authority).CreateCredentials()));
        }
        // The transports Docker.DotNet would pick for these schemes itself, each measured (engine call metrics and spans).
        return new Uri(node.Endpoint).Scheme == "unix"
            ? builder.WithTransportOptions(new MeasuredTransport<UnixSocketTransportOptions>(global::Docker.DotNet.Unix.DockerHandlerFactory.Instance, node.Name), new UnixSocketTransportOptions()).Build()
            : builder.WithTransportOptions(new MeasuredTransport<LegacyHttpTransportOptions>(global::Docker.DotNet.LegacyHttp.DockerHandlerFactory.Instance, node.Name), new LegacyHttpTransportOptions()).Build();
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated)) client.Value.Dispose();
        _clients.Clear();
    }
}
