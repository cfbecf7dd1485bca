using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Checks a node an Admin describes, by the rules configured nodes follow (name, endpoint, no plain TCP unless accepted),
/// and turns it into the definition the store keeps: PEMs parsed, then encrypted. Errors name the request's field.
/// </summary>
public static class NodeRequestValidation
{
    /// <param name="kept">The stored node's certificates, kept when an edit sends none.</param>
    public static NodeDefinition ToDefinition(NodeRequest request, StoredNodeCertificates? kept, ISecretProtector protector)
    {
        var name = request.Name?.Trim() ?? "";
        if (!NodeRules.IsValidName(name))
            throw new InvalidRequestException("name", $"'name' must be 1–64 letters, digits, '.', '-' or '_'; got '{request.Name}'.");
        var endpoint = request.Endpoint?.Trim() ?? "";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            throw new InvalidRequestException("endpoint", $"'endpoint' must be unix:///path/docker.sock or tcp://host:2376; got '{request.Endpoint}'.");
        var labels = Labels(request.Labels);
        switch (uri.Scheme)
        {
            case "unix":
                if (uri.AbsolutePath is not { Length: > 1 }) throw new InvalidRequestException("endpoint", $"'endpoint' '{endpoint}' names no socket path.");
                if (request.HasCertificates) throw new InvalidRequestException("certificatePem", "A unix:// endpoint takes no TLS certificates.");
                return new NodeDefinition(name, endpoint, labels, Origin: NodeOrigin.Stored);
            case "tcp":
                if (uri.Port <= 0 || !endpoint.Contains($":{uri.Port}", StringComparison.Ordinal))
                    throw new InvalidRequestException("endpoint", $"'endpoint' '{endpoint}' needs a port, e.g. tcp://host:2376.");
                var tls = request.HasCertificates ? Protect(request, protector) : kept;
                if (tls is null && !request.AllowInsecureTcp)
                    throw new InvalidRequestException("certificatePem",
                        "tcp:// without TLS is refused: give the CA, client certificate and key, or set allowInsecureTcp to accept that anyone who reaches the port is root on the host.");
                return new NodeDefinition(name, endpoint, labels, tls is null ? null : NodeTls.FromStore(tls), Origin: NodeOrigin.Stored);
            default:
                throw new InvalidRequestException("endpoint", $"'endpoint' scheme '{uri.Scheme}' is not supported; use unix:// or tcp://.");
        }
    }

    private static Dictionary<string, string> Labels(IReadOnlyDictionary<string, string>? labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > 100 || (value ?? "").Length > 200)
                throw new InvalidRequestException("labels", $"Label '{key}' needs a key of 1–100 characters and a value of at most 200.");
            result[key.Trim()] = value?.Trim() ?? "";
        }
        return result;
    }

    private static StoredNodeCertificates Protect(NodeRequest request, ISecretProtector protector)
    {
        var ca = Require(request.CaPem, "caPem", "the CA certificate (ca.pem) that signed the engine's certificate");
        var certificate = Require(request.CertificatePem, "certificatePem", "the client certificate (cert.pem)");
        var key = Require(request.KeyPem, "keyPem", "the client certificate's private key (key.pem)");
        Parse("caPem", "is not a PEM certificate", () => X509Certificate2.CreateFromPem(ca)).Dispose();
        using var client = Parse("certificatePem", "is not a PEM certificate", () => X509Certificate2.CreateFromPem(certificate));
        // The pair must load together: a key of another certificate is refused here, not at the first TLS handshake.
        using var pair = Parse("keyPem", "is not the PEM private key of this certificate", () => X509Certificate2.CreateFromPem(certificate, key));
        return new StoredNodeCertificates(protector.Protect(ca), protector.Protect(certificate), protector.Protect(key), client.Subject, client.NotAfter.ToUniversalTime());
    }

    private static string Require(string? pem, string field, string what) =>
        string.IsNullOrWhiteSpace(pem) ? throw new InvalidRequestException(field, $"'{field}' is missing: TLS needs {what}.") : pem.Trim();

    private static X509Certificate2 Parse(string field, string problem, Func<X509Certificate2> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new InvalidRequestException(field, $"'{field}' {problem}: {ex.Message}");
        }
    }
}
