using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Infrastructure.Consul;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>The TLS settings load: the CA becomes the only trust root and the PEM client certificate is presented.</summary>
public sealed class ConsulTlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("consul-tls-").FullName;

    [Fact]
    public void CreateHandler_WithCaAndClientCertificate_TrustsOnlyTheCa_AndPresentsTheCertificate()
    {
        using var caKey = RSA.Create(2048);
        using var ca = new CertificateRequest("CN=Consul Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            { CertificateExtensions = { new X509BasicConstraintsExtension(true, false, 0, true) } }
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var clientKey = RSA.Create(2048);
        using var client = new CertificateRequest("CN=controlpanel", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
        var options = new ConsulOptions
        {
            Address = "https://127.0.0.1:8501",
            CaFile = Write("ca.pem", ca.ExportCertificatePem()),
            ClientCertificateFile = Write("cert.pem", client.ExportCertificatePem()),
            ClientKeyFile = Write("key.pem", clientKey.ExportPkcs8PrivateKeyPem()),
        };

        using var handler = ConsulRegistration.CreateHandler(options);

        Assert.True(new ConsulOptionsValidator().Validate(null, options).Succeeded);
        var presented = Assert.Single(handler.SslOptions.ClientCertificates!.Cast<X509Certificate2>());
        Assert.Equal(client.Thumbprint, presented.Thumbprint);
        Assert.True(presented.HasPrivateKey);
        var policy = handler.SslOptions.CertificateChainPolicy!;
        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Equal(ca.Thumbprint, Assert.Single(policy.CustomTrustStore).Thumbprint);
    }

    private string Write(string name, string pem)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, pem);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
