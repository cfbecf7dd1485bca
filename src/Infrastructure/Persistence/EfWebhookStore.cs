using System.Text.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Timeline;
using ControlPanel.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Webhooks and their delivery log in the database; secrets encrypted with the panel's <see cref="ISecretProtector"/>.</summary>
public sealed class EfWebhookStore(IDbContextFactory<ControlPanelDbContext> contexts, ISecretProtector protector) : IWebhookStore
{
    public async Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Webhooks.AsNoTracking().OrderBy(w => w.Name).ToListAsync(cancellationToken)).Select(ToWebhook).ToList();
    }

    public async Task<Webhook?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken) is { } row ? ToWebhook(row) : null;
    }

    public async Task<Webhook> SaveAsync(Guid id, WebhookChange change, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (row is null) db.Webhooks.Add(row = new WebhookRecord { Id = id });
        row.Name = change.Name;
        row.Url = change.Url;
        row.Kinds = string.Join(",", change.Kinds);
        row.Format = change.Format.ToString();
        row.UnhealthyFor = change.UnhealthyFor ?? row.UnhealthyFor;
        if (change.Secret is not null) row.ProtectedSecret = change.Secret.Length == 0 ? null : protector.Protect(change.Secret);
        row.Enabled = change.Enabled;
        row.AllowPrivateAddress = change.AllowPrivateAddress;
        row.UpdatedAt = audit.At.ToUniversalTime();
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
        return ToWebhook(row);
    }

    public async Task<bool> DeleteAsync(Guid id, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (row is null) return false;
        // Its log goes with it (cascade), in the same transaction as the audit entry.
        db.Webhooks.Remove(row);
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<string?> GetSecretAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Webhooks.AsNoTracking().Where(w => w.Id == id).Select(w => w.ProtectedSecret).FirstOrDefaultAsync(cancellationToken);
        try
        {
            return stored is null ? null : protector.Unprotect(stored);
        }
        catch (ControlPanelException)
        {
            throw new InvalidRequestException("secret", "The webhook's secret can no longer be decrypted (the panel's keys changed); set it again.");
        }
    }

    public async Task RecordAttemptAsync(WebhookAttempt attempt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.WebhookAttempts.Add(new WebhookAttemptRecord
        {
            WebhookId = attempt.WebhookId, DeliveryId = attempt.DeliveryId, Kind = attempt.Kind.ToString(), Summary = Clip(attempt.Summary),
            Attempt = attempt.Attempt, StatusCode = attempt.StatusCode, Error = attempt.Error is null ? null : Clip(attempt.Error),
            Duration = attempt.Duration, At = attempt.At.ToUniversalTime(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Deleted while its delivery was running: there is no log left to add to.
            if (await db.Webhooks.AnyAsync(w => w.Id == attempt.WebhookId, cancellationToken)) throw;
        }
    }

    public async Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(Guid webhookId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.WebhookAttempts.AsNoTracking().Where(a => a.WebhookId == webhookId).OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(a => new WebhookAttempt(a.Id, a.WebhookId, a.DeliveryId, Enum.TryParse<FleetEventKind>(a.Kind, out var k) ? k : default,
            a.Summary, a.Attempt, a.StatusCode, a.Error, a.Duration, a.At)).ToList();
    }

    public async Task SavePendingAsync(PendingDelivery pending, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.PendingWebhookDeliveries.FindAsync([pending.DeliveryId], cancellationToken);
        if (row is null) db.PendingWebhookDeliveries.Add(row = new PendingWebhookDeliveryRecord { DeliveryId = pending.DeliveryId, WebhookId = pending.WebhookId });
        row.EventJson = JsonSerializer.Serialize(pending.Event, StoredJson.Options);
        row.NextAttempt = pending.NextAttempt;
        row.DueAt = pending.DueAt.ToUniversalTime();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RemovePendingAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.PendingWebhookDeliveries.Where(p => p.DeliveryId == deliveryId).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PendingDelivery>> ListPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PendingWebhookDeliveries.AsNoTracking().ToListAsync(cancellationToken);
        return rows.OrderBy(p => p.DueAt)
            .Select(p => new PendingDelivery(p.DeliveryId, p.WebhookId, JsonSerializer.Deserialize<FleetEvent>(p.EventJson, StoredJson.Options)!, p.NextAttempt, p.DueAt))
            .ToList();
    }

    public async Task<int> PruneAttemptsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cutoff = before.ToUniversalTime();
        return await db.WebhookAttempts.Where(a => a.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private static Webhook ToWebhook(WebhookRecord row) => new(row.Id, row.Name, row.Url,
        row.Kinds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(k => Enum.TryParse<FleetEventKind>(k, out var kind) ? kind : (FleetEventKind?)null)
            .OfType<FleetEventKind>().ToList(),
        Enum.TryParse<WebhookFormat>(row.Format, out var format) ? format : WebhookFormat.Json,
        row.UnhealthyFor, row.ProtectedSecret is not null, row.Enabled, row.AllowPrivateAddress);

    private static string Clip(string text) => text.Length > 1000 ? text[..1000] : text;
}
