using System.Security.Cryptography.X509Certificates;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// A node's TLS client certificate and the CA it trusts, for both Docker transports: from a configured folder, or
/// decrypted from the database for a stored node. A stored key is decrypted here, into memory, and nowhere else: it never
/// touches the disk and never leaves as text.
/// </summary>
internal static class NodeCertificates
{
    public static (X509Certificate2 Client, X509Certificate2 Authority) Load(NodeDefinition node, NodeTls tls, ISecretProtector? protector)
    {
        if (tls.Stored is not { } stored)
            return (Exportable(X509Certificate2.CreateFromPemFile(Path.Combine(tls.CertificatesDirectory, "cert.pem"), Path.Combine(tls.CertificatesDirectory, "key.pem"))),
                X509CertificateLoader.LoadCertificateFromFile(Path.Combine(tls.CertificatesDirectory, "ca.pem")));
        if (protector is null) throw new EngineUnavailableException(node.Name, "its stored certificates cannot be decrypted here");
        try
        {
            var client = X509Certificate2.CreateFromPem(protector.Unprotect(stored.ProtectedCertificate), protector.Unprotect(stored.ProtectedKey));
            return (Exportable(client), X509Certificate2.CreateFromPem(protector.Unprotect(stored.ProtectedCa)));
        }
        catch (InvalidRequestException)
        {
            throw new EngineUnavailableException(node.Name, "its stored TLS certificates can no longer be decrypted (the panel's keys changed); edit the node and give them again");
        }
    }

    // A key loaded from PEM is ephemeral; SslStream needs it in a store-backed certificate on some platforms.
    private static X509Certificate2 Exportable(X509Certificate2 pem)
    {
        using (pem) return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
