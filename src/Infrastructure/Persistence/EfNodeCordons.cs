using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// Cordons in the database, read once at start (after the migrations) and kept in memory, because placement and the
/// node directory read them synchronously on every rebuild. Each write stores the cordon and its audit entry in one
/// SaveChanges, then updates the copy and raises <see cref="Changed"/>.
/// </summary>
public sealed class EfNodeCordons(IDbContextFactory<ControlPanelDbContext> contexts) : INodeCordons, INodeCordonStore, IHostedService
{
    private readonly Lock _lock = new();
    private IReadOnlyDictionary<string, NodeCordon> _cordons = new Dictionary<string, NodeCordon>();

    public event Action? Changed;

    public IReadOnlyDictionary<string, string> Cordoned
    {
        get
        {
            lock (_lock) return _cordons.ToDictionary(c => c.Key, c => c.Value.Describe(), StringComparer.Ordinal);
        }
    }

    public NodeCordon? Find(string node)
    {
        lock (_lock) return _cordons.GetValueOrDefault(node);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.NodeCordons.AsNoTracking().ToListAsync(cancellationToken);
        Replace(rows.Select(ToCordon).ToDictionary(c => c.Node, StringComparer.Ordinal));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CordonAsync(NodeCordon cordon, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.NodeCordons.FirstOrDefaultAsync(c => c.Node == cordon.Node, cancellationToken);
        if (row is null) db.NodeCordons.Add(row = new NodeCordonRecord { Node = cordon.Node });
        row.CordonedBy = cordon.By;
        row.CordonedAt = cordon.At.ToUniversalTime();
        row.Reason = cordon.Reason;
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
        Update(all => all[cordon.Node] = ToCordon(row));
    }

    public async Task<bool> UncordonAsync(string node, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.NodeCordons.FirstOrDefaultAsync(c => c.Node == node, cancellationToken);
        if (row is null)
        {
            // Another instance of the panel may have lifted it: forget it here too.
            if (Find(node) is not null) Update(all => all.Remove(node));
            return false;
        }
        db.NodeCordons.Remove(row);
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
        Update(all => all.Remove(node));
        return true;
    }

    private void Update(Action<Dictionary<string, NodeCordon>> change)
    {
        lock (_lock)
        {
            var copy = new Dictionary<string, NodeCordon>(_cordons, StringComparer.Ordinal);
            change(copy);
            _cordons = copy;
        }
        Changed?.Invoke();
    }

    private void Replace(Dictionary<string, NodeCordon> all)
    {
        lock (_lock) _cordons = all;
        Changed?.Invoke();
    }

    private static NodeCordon ToCordon(NodeCordonRecord r) => new(r.Node, r.CordonedBy, r.CordonedAt, r.Reason);
}
