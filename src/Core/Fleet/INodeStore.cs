using ControlPanel.Core.Audit;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Nodes an Admin added in the panel, kept in the database. The same object is the <see cref="INodeSource"/> of
/// <see cref="NodeOrigin.Stored"/> nodes, so a write shows in the directory as soon as it is saved.
/// </summary>
public interface INodeStore
{
    /// <summary>The stored nodes as last loaded or written.</summary>
    IReadOnlyList<NodeDefinition> GetNodes();

    /// <summary>Adds or replaces the node of that name, with the audit entry in the same transaction.</summary>
    Task SaveAsync(NodeDefinition node, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Removes the node, with the audit entry in the same transaction; false when none had that name.</summary>
    Task<bool> RemoveAsync(string name, AuditEntry audit, CancellationToken cancellationToken);
}

/// <summary>
/// A node as an Admin describes it. The PEMs are the plain texts of Docker's ca.pem, cert.pem and key.pem; on an edit,
/// all three null keep the stored certificates.
/// </summary>
public sealed record NodeRequest(
    string Name,
    string Endpoint,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? CaPem = null,
    string? CertificatePem = null,
    string? KeyPem = null,
    bool AllowInsecureTcp = false)
{
    public bool HasCertificates => CaPem is not null || CertificatePem is not null || KeyPem is not null;

    // The key must not reach a log through a record's generated ToString.
    public override string ToString() => $"{Name} {Endpoint}";
}
