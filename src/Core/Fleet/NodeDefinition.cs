namespace ControlPanel.Core.Fleet;

/// <summary>A Docker engine the panel manages, as configured or discovered.</summary>
/// <param name="Name">Unique, URL-safe name shown to users and used in routes.</param>
/// <param name="Endpoint">unix:// or tcp:// endpoint of the engine.</param>
/// <param name="Labels">Free-form labels (e.g. role=web) used for filtering.</param>
/// <param name="Tls">Client-certificate settings for tcp:// endpoints.</param>
/// <param name="ConfigurationError">Set when the node's configuration is unusable; the node is then shown, never contacted.</param>
/// <param name="Origin">Where the panel learned of the node.</param>
public sealed record NodeDefinition(
    string Name,
    string Endpoint,
    IReadOnlyDictionary<string, string> Labels,
    NodeTls? Tls = null,
    string? ConfigurationError = null,
    NodeOrigin Origin = NodeOrigin.Configured)
{
    public bool IsUsable => ConfigurationError is null;

    /// <summary>Whether new replicas may be placed here; anything but Active keeps them away.</summary>
    public NodeAvailability Availability { get; init; } = NodeAvailability.Active;

    /// <summary>Why the node is not Active (who cordoned it, what Consul's check said), in words to show.</summary>
    public string? AvailabilityReason { get; init; }

    /// <summary>Another source advertises a node of the same name; this one won and the other is ignored.</summary>
    public string? Conflict { get; init; }

    /// <summary>The engine can be contacted and placement may put new replicas on it.</summary>
    public bool TakesNewReplicas => IsUsable && Availability == NodeAvailability.Active;

    /// <summary>
    /// Where the node's replicas are reached. They use the host's network, so it is the host of a tcp:// endpoint, or
    /// this machine (127.0.0.1) for a unix:// one.
    /// </summary>
    public string ReplicaHost =>
        Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "tcp" or "http" or "https" ? endpoint.Host : "127.0.0.1";

    /// <summary>Plain tcp:// allowed explicitly: shown with a warning wherever the node appears.</summary>
    public bool IsInsecure => Endpoint.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase) && Tls is null;
}

/// <summary>
/// Mutual TLS for a tcp:// engine: a folder laid out as Docker's own DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem), or,
/// for a node an Admin added in the panel, the PEMs kept encrypted in the database (<see cref="Stored"/>).
/// </summary>
public sealed record NodeTls(string CertificatesDirectory)
{
    /// <summary>Set for a node the panel stores; <see cref="CertificatesDirectory"/> is then empty.</summary>
    public StoredNodeCertificates? Stored { get; init; }

    public static NodeTls FromStore(StoredNodeCertificates stored) => new("") { Stored = stored };
}

/// <summary>
/// A stored node's certificates as the database keeps them: each PEM encrypted by the panel's secret protector, decrypted
/// only where the Docker transports build their TLS client. The subject and expiry of the client certificate are kept
/// in the clear to show.
/// </summary>
public sealed record StoredNodeCertificates(string ProtectedCa, string ProtectedCertificate, string ProtectedKey, string Subject, DateTimeOffset NotAfter);

/// <summary>Where a node comes from; when two sources name the same node, the first in this order wins.</summary>
public enum NodeOrigin
{
    Configured,
    Stored,
    Consul,
}

/// <summary>Whether a node takes new replicas.</summary>
public enum NodeAvailability
{
    Active,
    /// <summary>An Admin cordoned it: what runs stays, nothing new is placed.</summary>
    Cordoned,
    /// <summary>Consul reports the node's agent or its docker check critical.</summary>
    Critical,
    /// <summary>The node left Consul's catalog.</summary>
    Left,
}
