using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Pipelines.Push;
using ControlPanel.Core.Releases;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Push hooks and their delivery log in the database; secrets encrypted with the panel's <see cref="ISecretProtector"/>.</summary>
public sealed class EfPushHookStore(IDbContextFactory<ControlPanelDbContext> contexts, ISecretProtector protector) : IPushHookStore
{
    private static readonly string[] Trimmable = [nameof(PushOutcome.Ignored), nameof(PushOutcome.Invalid)];

    public async Task<PushHook?> FindAsync(string service, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PushHooks.AsNoTracking().FirstOrDefaultAsync(h => h.Service == service, cancellationToken) is { } row ? ToHook(row) : null;
    }

    public async Task<string?> GetSecretAsync(string service, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.PushHooks.AsNoTracking().Where(h => h.Service == service).Select(h => h.ProtectedSecret).FirstOrDefaultAsync(cancellationToken);
        try
        {
            return stored is null ? null : protector.Unprotect(stored);
        }
        catch (ControlPanelException)
        {
            // The panel's keys changed: no delivery can be verified until the secret is rotated; refused like a wrong signature.
            return null;
        }
    }

    public async Task<PushHook> SaveAsync(string service, bool autoDeploy, string? secret, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.PushHooks.FirstOrDefaultAsync(h => h.Service == service, cancellationToken);
        var at = audit.At.ToUniversalTime();
        if (row is null) db.PushHooks.Add(row = new PushHookRecord { Service = service, CreatedAt = at, CreatedBy = audit.Actor });
        row.AutoDeploy = autoDeploy;
        if (secret is not null)
        {
            row.ProtectedSecret = protector.Protect(secret);
            row.SecretSetAt = at;
        }
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
        return ToHook(row);
    }

    public async Task<bool> DeleteAsync(string service, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.PushHooks.FirstOrDefaultAsync(h => h.Service == service, cancellationToken);
        if (row is null) return false;
        // Its delivery log goes with it (cascade), in the same transaction as the audit entry.
        db.PushHooks.Remove(row);
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> TryAddDeliveryAsync(PushDelivery delivery, int keep, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A delivery that failed started nothing: its redelivery takes its place instead of being refused as a replay.
        await db.PushDeliveries.Where(d => d.Service == delivery.Service && d.Outcome == nameof(PushOutcome.Failed)
            && (d.DeliveryId == delivery.DeliveryId || (delivery.BodyHash != null && d.BodyHash == delivery.BodyHash))).ExecuteDeleteAsync(cancellationToken);
        var row = new PushDeliveryRecord { Service = delivery.Service, DeliveryId = delivery.DeliveryId, BodyHash = delivery.BodyHash };
        Copy(delivery, row);
        db.PushDeliveries.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex, "push_deliveries"))
        {
            return false;
        }
        // Trim to the newest `keep`: the row at that position is the oldest to stay. Only rows that started nothing and
        // never will are trimmed; a started delivery's id and body hash must outlive the trim or an old body could be replayed.
        var oldestKept = await db.PushDeliveries.Where(d => d.Service == delivery.Service).OrderByDescending(d => d.Id).Skip(keep - 1)
            .Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (oldestKept is { } cutoff)
            await db.PushDeliveries.Where(d => d.Service == delivery.Service && d.Id < cutoff && Trimmable.Contains(d.Outcome)).ExecuteDeleteAsync(cancellationToken);
        return true;
    }

    public async Task UpdateDeliveryAsync(PushDelivery delivery, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.PushDeliveries.FirstOrDefaultAsync(d => d.Service == delivery.Service && d.DeliveryId == delivery.DeliveryId, cancellationToken);
        // Gone: the hook was deleted meanwhile, and its log with it.
        if (row is null) return;
        Copy(delivery, row);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PushDelivery>> ListDeliveriesAsync(string service, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PushDeliveries.AsNoTracking().Where(d => d.Service == service).OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(ToDelivery).ToList();
    }

    public async Task<PushDelivery?> FindDeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PushDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Service == service && d.DeliveryId == deliveryId, cancellationToken) is { } row
            ? ToDelivery(row)
            : null;
    }

    private static void Copy(PushDelivery delivery, PushDeliveryRecord row)
    {
        row.Provider = delivery.Provider;
        row.ReceivedAt = delivery.ReceivedAt.ToUniversalTime();
        row.Event = delivery.Event;
        row.Ref = delivery.Ref;
        row.Commit = delivery.Commit;
        row.Pusher = delivery.Pusher;
        row.Outcome = delivery.Outcome.ToString();
        row.Message = delivery.Message.Length > 1000 ? delivery.Message[..1000] : delivery.Message;
        row.PipelineId = delivery.PipelineId;
    }

    private static PushHook ToHook(PushHookRecord row) => new(row.Service, row.AutoDeploy, row.CreatedAt, row.CreatedBy, row.SecretSetAt);

    private static PushDelivery ToDelivery(PushDeliveryRecord row) => new(row.Service, row.Provider, row.DeliveryId, row.ReceivedAt, row.Event, row.Ref, row.Commit,
        row.Pusher, Enum.TryParse<PushOutcome>(row.Outcome, out var outcome) ? outcome : PushOutcome.Failed, row.Message, row.PipelineId, row.BodyHash);
}
