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
        return rows.Select(ToRevision).ToList();
    }

    public async Task<ServiceRevision?> FindAsync(string service, int? revision, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.ServiceRevisions.AsNoTracking().Where(r => r.Service == service);
        var row = revision is { } n ? await rows.FirstOrDefaultAsync(r => r.Number == n, cancellationToken)
            : await rows.OrderByDescending(r => r.Number).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToRevision(row);
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
        var row = new ServiceRevisionRecord
        {
            Service = service,
            Number = number,
            SettingsJson = JsonSerializer.Serialize(new StoredSettings(build, runtime), StoredJson.Options),
            ChangedBy = audit.Actor,
            ChangedAt = audit.At.ToUniversalTime(),
        };
        db.ServiceRevisions.Add(row);
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new InvalidRequestException("name", $"Service '{service}' was changed by someone else at the same moment; reload it and save again.");
        }
        return ToRevision(row);
    }

    private static ServiceRevision ToRevision(ServiceRevisionRecord row)
    {
        var settings = JsonSerializer.Deserialize<StoredSettings>(row.SettingsJson, StoredJson.Options)!;
        return new(row.Service, row.Number, settings.Build, row.ChangedBy, row.ChangedAt, settings.Runtime);
    }

    /// <summary>The JSON document of a revision: how it is built and how it runs (secret values already encrypted).</summary>
    private sealed record StoredSettings(BuildSettings Build, Core.Releases.RuntimeSpec? Runtime = null);
}
