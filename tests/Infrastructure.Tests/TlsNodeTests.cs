using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.Configuration;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>The lab's TCP engine accepts only mutual TLS with a client certificate from its CA.</summary>
public sealed class TlsNodeTests : IDisposable
{
    private readonly string _untrustingCerts = Path.Combine(Path.GetTempPath(), $"cp-tls-{Guid.NewGuid():N}");

    public TlsNodeTests()
    {
        // The right client certificate, but a CA file that did not sign the engine's certificate.
        Directory.CreateDirectory(_untrustingCerts);
        File.Copy(Path.Combine(Lab.Current.Tls.ClientCertificates, "cert.pem"), Path.Combine(_untrustingCerts, "cert.pem"));
        File.Copy(Path.Combine(Lab.Current.Tls.ClientCertificates, "key.pem"), Path.Combine(_untrustingCerts, "key.pem"));
        File.Copy(Path.Combine(Lab.Current.Tls.WrongClientCertificates, "cert.pem"), Path.Combine(_untrustingCerts, "ca.pem"));
    }

    public void Dispose() => Directory.Delete(_untrustingCerts, recursive: true);

    private static NodeDefinition Node(string? certificates) =>
        Assert.Single(ConfiguredNodes.Build([new NodeOptions
        {
            Name = "tls", Endpoint = Lab.Current.Tls.Endpoint, TlsCertificatesDirectory = certificates, AllowInsecureTcp = certificates is null,
        }]));

    [Fact]
    public async Task RightClientCertificate_ReachesTheEngine()
    {
        using var services = new LabServices([Node(Lab.Current.Tls.ClientCertificates)]);
        var status = await services.Fleet.GetNodeStatusAsync(services.Fleet.Nodes[0], default);
        Assert.Equal(NodeReachability.Reachable, status.Reachability);
        var engine = status.Engine!;
        Assert.Equal("1.41", engine.ApiVersion);
        Assert.False(string.IsNullOrWhiteSpace(engine.Version), "the engine reported its version over TLS");
        // The listing came over the same TLS connection and agrees with the engine's own count (nothing else uses this engine).
        var containers = await services.Engine.ListContainersAsync(services.Fleet.Nodes[0], default);
        Assert.Equal(engine.ContainersRunning + engine.ContainersPaused + engine.ContainersStopped, containers.Count);
    }

    [Fact]
    public async Task WrongClientCertificate_FailsClosed()
    {
        using var services = new LabServices([Node(Lab.Current.Tls.WrongClientCertificates)]);
        var ex = await Assert.ThrowsAnyAsync<ControlPanelException>(() => services.Engine.ListContainersAsync(services.Fleet.Nodes[0], default));
        Assert.IsType<EngineUnavailableException>(ex);
    }

    [Fact]
    public async Task EngineCertificateNotFromTheConfiguredCa_FailsClosed()
    {
        using var services = new LabServices([Node(_untrustingCerts)]);
        await Assert.ThrowsAsync<EngineUnavailableException>(() => services.Engine.ListContainersAsync(services.Fleet.Nodes[0], default));
    }

    [Fact]
    public async Task PlainTcpToTheTlsEngine_FailsClosed()
    {
        using var services = new LabServices([Node(null)]);
        await Assert.ThrowsAnyAsync<ControlPanelException>(() => services.Engine.ListContainersAsync(services.Fleet.Nodes[0], default));
    }
}
