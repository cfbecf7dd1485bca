using System.Text.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Services;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

public sealed class EfServiceStore(IDbContextFactory<ControlPanelDbContext> contexts) : IServiceStore
{
    public async Task<IReadOnlyList<ServiceRevision>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ServiceRevisions.AsNoTracking()
            .Where(r => r.Number == db.ServiceRevisions.Where(x => x.Service == r.Service).Max(x => x.Number))
            .OrderBy(r => r.Service).ToListAsync(cancellationToken);
        return rows.Select(ToRevision).Where(r => !r.Deleted).ToList();
    }

    public async Task<ServiceRevision?> FindAsync(string service, int? revision, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.ServiceRevisions.AsNoTracking().Where(r => r.Service == service);
        var row = revision is { } n ? await rows.FirstOrDefaultAsync(r => r.Number == n, cancellationToken)
            : await rows.OrderByDescending(r => r.Number).FirstOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var found = ToRevision(row);
        return revision is null && found.Deleted ? null : found;
    }

    public async Task<IReadOnlyList<ServiceRevision>> RevisionsAsync(string service, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ServiceRevisions.AsNoTracking().Where(r => r.Service == service).OrderByDescending(r => r.Number).ToListAsync(cancellationToken);
        return rows.Select(ToRevision).ToList();
    }

    public async Task<ServiceRevision> AddRevisionAsync(string service, BuildSettings build, Core.Releases.RuntimeSpec? runtime, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var number = 1 + (await db.ServiceRevisions.Where(r => r.Service == service).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0);
        var row = Row(service, number, new StoredSettings(build, runtime), audit.Actor, audit.At);
        db.ServiceRevisions.Add(row);
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        return await SaveAsync(db, row, cancellationToken);
    }

    public async Task<ServiceRevision> MarkDeletedAsync(ServiceRevision latest, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = Row(latest.Service, latest.Number + 1, new StoredSettings(latest.Build, latest.Runtime, Deleted: true), by, at);
        db.ServiceRevisions.Add(row);
        return await SaveAsync(db, row, cancellationToken);
    }

    private static ServiceRevisionRecord Row(string service, int number, StoredSettings settings, string by, DateTimeOffset at) => new()
    {
        Service = service,
        Number = number,
        SettingsJson = JsonSerializer.Serialize(settings, StoredJson.Options),
        ChangedBy = by,
        ChangedAt = at.ToUniversalTime(),
    };

    private static async Task<ServiceRevision> SaveAsync(ControlPanelDbContext db, ServiceRevisionRecord row, CancellationToken cancellationToken)
    {
        var service = row.Service;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex, "service_revisions"))
        {
            // Only the revision number's own key means another save won the race; any other failure is itself.
            throw new InvalidRequestException("name", $"Service '{service}' was changed by someone else at the same moment; reload it and save again.");
        }
        return ToRevision(row);
    }

    private static ServiceRevision ToRevision(ServiceRevisionRecord row)
    {
        var settings = JsonSerializer.Deserialize<StoredSettings>(row.SettingsJson, StoredJson.Options)!;
        return new(row.Service, row.Number, settings.Build, row.ChangedBy, row.ChangedAt, settings.Runtime, settings.Deleted);
    }

    /// <summary>The JSON document of a revision: how it is built and how it runs (secret values already encrypted), or that it was deleted.</summary>
    private sealed record StoredSettings(BuildSettings Build, Core.Releases.RuntimeSpec? Runtime = null, bool Deleted = false);
}
