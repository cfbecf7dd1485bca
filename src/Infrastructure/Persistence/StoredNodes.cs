using System.Text.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// The nodes an Admin keeps in the database: loaded once at start (after the migrations), then served from memory and
/// reloaded after each write, which raises <see cref="Changed"/> so the directory and the fleet watcher follow.
/// </summary>
/// <remarks>Another panel instance sharing the database sees a write at its next start.</remarks>
public sealed class StoredNodes(IDbContextFactory<ControlPanelDbContext> contexts, ILogger<StoredNodes> logger) : INodeSource, INodeStore
{
    private volatile IReadOnlyList<NodeDefinition> _nodes = [];
    private volatile string? _problem;

    public NodeOrigin Origin => NodeOrigin.Stored;

    public string? Problem => _problem;

    public event Action? Changed;

    public IReadOnlyList<NodeDefinition> GetNodes() => _nodes;

    /// <summary>Reads the table; a failure leaves the last list and shows why, it never stops the panel.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.StoredNodes.AsNoTracking().ToListAsync(cancellationToken);
            _nodes = rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(ToDefinition).ToList();
            _problem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not read the stored nodes");
            _problem = $"The panel's stored nodes could not be read: {ex.Message}";
        }
        Changed?.Invoke();
    }

    public async Task SaveAsync(NodeDefinition node, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var row = await db.StoredNodes.FirstOrDefaultAsync(r => r.Name == node.Name, cancellationToken);
            if (row is null) db.StoredNodes.Add(row = new StoredNodeRecord { Name = node.Name });
            row.Endpoint = node.Endpoint;
            row.Labels = JsonSerializer.Serialize(node.Labels, StoredJson.Options);
            var tls = node.Tls?.Stored;
            row.ProtectedCa = tls?.ProtectedCa;
            row.ProtectedCertificate = tls?.ProtectedCertificate;
            row.ProtectedKey = tls?.ProtectedKey;
            row.CertificateSubject = tls?.Subject;
            row.CertificateNotAfter = tls?.NotAfter;
            row.AllowInsecureTcp = node.IsInsecure;
            row.UpdatedAt = audit.At.ToUniversalTime();
            db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
            await db.SaveChangesAsync(cancellationToken);
        }
        // Committed: the list must follow even if the caller has gone away meanwhile.
        await LoadAsync(CancellationToken.None);
    }

    public async Task<bool> RemoveAsync(string name, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var row = await db.StoredNodes.FirstOrDefaultAsync(r => r.Name == name, cancellationToken);
            if (row is null)
            {
                // Another instance removed it: catch up, so this one stops listing it too.
                await LoadAsync(CancellationToken.None);
                return false;
            }
            db.StoredNodes.Remove(row);
            db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
            await db.SaveChangesAsync(cancellationToken);
        }
        await LoadAsync(CancellationToken.None);
        return true;
    }

    private static NodeDefinition ToDefinition(StoredNodeRecord row)
    {
        var labels = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Labels, StoredJson.Options) ?? [];
        var tls = row is { ProtectedCa: { } ca, ProtectedCertificate: { } certificate, ProtectedKey: { } key }
            ? NodeTls.FromStore(new StoredNodeCertificates(ca, certificate, key, row.CertificateSubject ?? "", row.CertificateNotAfter ?? DateTimeOffset.MinValue))
            : null;
        // Saved rows passed the same checks; this only catches a row edited by hand into plain TCP.
        var error = tls is null && row.Endpoint.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase) && !row.AllowInsecureTcp
            ? $"Stored node '{row.Name}': tcp:// without TLS was not accepted; edit the node." : null;
        return new NodeDefinition(row.Name, row.Endpoint, labels, tls, error, NodeOrigin.Stored);
    }
}
