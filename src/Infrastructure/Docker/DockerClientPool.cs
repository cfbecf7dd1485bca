using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using Docker.DotNet;
using Docker.DotNet.X509;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// One Docker.DotNet client per node, created on first use and kept: clients pool their connections,
/// so creating one per call would reconnect every time.
/// </summary>
public sealed class DockerClientPool : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DockerClient>> _clients = new();

    public DockerClient For(NodeDefinition node)
    {
        NodeEndpoint.EnsureReachable(node);
        // Keyed by name and endpoint so a node whose endpoint changes gets a fresh client.
        var key = $"{node.Name}|{node.Endpoint}";
        return _clients.GetOrAdd(key, _ => new Lazy<DockerClient>(() => Create(node))).Value;
    }

    private static DockerClient Create(NodeDefinition node)
    {
        // No API version is pinned: requests go unversioned and the engine answers in its own
        // version, so the same client works against 20.10 (API 1.41) and current engines.
        var builder = new DockerClientBuilder().WithEndpoint(new Uri(node.Endpoint));
        if (node.Tls is { } tls)
        {
            var certificates = DockerTlsCertificates.LoadFromDirectory(tls.CertificatesDirectory, true, "ca.pem", "cert.pem", "key.pem");
            builder = builder.WithAuthProvider(certificates.CreateCredentials());
        }
        return builder.Build();
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated)) client.Value.Dispose();
        _clients.Clear();
    }
}
