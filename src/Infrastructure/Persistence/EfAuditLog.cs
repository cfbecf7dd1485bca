using ControlPanel.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// Rows are only ever inserted. An action begun with <see cref="BeginAsync"/> is a pending row; its outcome
/// a second row whose CompletesId names the first (unique: one outcome per action). Queries join the two
/// into one entry, so the page, API and CSV show one entry per action.
/// </summary>
public sealed class EfAuditLog(IDbContextFactory<ControlPanelDbContext> contexts) : IAuditLog
{
    private const int MaxLimit = 5000;

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        await InsertAsync(ToRecord(entry), cancellationToken);

    public async Task<long> BeginAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var record = ToRecord(entry);
        record.Pending = true;
        record.Succeeded = false;
        record.Error = null;
        record.DurationMs = 0;
        await InsertAsync(record, cancellationToken);
        return record.Id;
    }

    public async Task CompleteAsync(long id, AuditEntry outcome, CancellationToken cancellationToken)
    {
        var record = ToRecord(outcome with { At = outcome.At + outcome.Duration });
        record.CompletesId = id;
        await InsertAsync(record, cancellationToken);
    }

    private async Task InsertAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>For changes stored in the database: add this to the same context so one SaveChanges writes both.</summary>
    public static AuditRecord ToRecord(AuditEntry entry) => new()
    {
        At = entry.At.ToUniversalTime(),
        Actor = Cut(entry.Actor, 200),
        ClientAddress = entry.ClientAddress,
        Action = entry.Action,
        Node = entry.Node,
        Target = Cut(entry.Target, 300),
        Detail = entry.Detail is null ? null : Cut(entry.Detail, 1000),
        Succeeded = entry.Succeeded,
        Error = entry.Error is null ? null : Cut(entry.Error, 4000),
        DurationMs = (long)entry.Duration.TotalMilliseconds,
        Count = entry.Count,
    };

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = Entries(db);
        if (query.Actor is { Length: > 0 } actor) rows = rows.Where(a => a.Actor == actor);
        if (query.Action is { Length: > 0 } action) rows = rows.Where(a => a.Action == action);
        if (query.Node is { Length: > 0 } node) rows = rows.Where(a => a.Node == node);
        if (query.Succeeded is { } ok) rows = rows.Where(a => a.Succeeded == ok);
        if (query.Since is { } since) rows = rows.Where(a => a.At >= since.ToUniversalTime());
        if (query.Until is { } until) rows = rows.Where(a => a.At <= until.ToUniversalTime());
        if (query.Text is { Length: > 0 } text)
        {
            rows = rows.Where(a => a.Target.Contains(text) || a.Action.Contains(text) || a.Actor.Contains(text)
                || (a.Error != null && a.Error.Contains(text)) || (a.Detail != null && a.Detail.Contains(text)));
        }
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var found = await rows.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return found.Select(ToEntry).ToList();
    }

    /// <summary>One row per action: a begun row with its outcome row's result, if any.</summary>
    private static IQueryable<AuditRecord> Entries(ControlPanelDbContext db) =>
        from a in db.AuditEntries.AsNoTracking()
        where a.CompletesId == null
        from o in db.AuditEntries.Where(o => o.CompletesId == a.Id).DefaultIfEmpty()
        select new AuditRecord
        {
            Id = a.Id, At = a.At, Actor = a.Actor, ClientAddress = a.ClientAddress, Action = a.Action, Node = a.Node, Target = a.Target,
            Detail = o != null && o.Detail != null ? o.Detail : a.Detail, Count = a.Count,
            Succeeded = o != null ? o.Succeeded : a.Succeeded,
            Error = o != null ? o.Error : a.Error,
            DurationMs = o != null ? o.DurationMs : a.DurationMs,
            Pending = o == null && a.Pending,
        };

    private static AuditEntry ToEntry(AuditRecord r) => new()
    {
        Id = r.Id,
        At = r.At,
        Actor = r.Actor,
        ClientAddress = r.ClientAddress,
        Action = r.Action,
        Node = r.Node,
        Target = r.Target,
        Detail = r.Detail,
        Succeeded = r.Succeeded,
        Error = r.Error,
        Duration = TimeSpan.FromMilliseconds(r.DurationMs),
        Count = r.Count,
        Pending = r.Pending,
    };

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];
}
