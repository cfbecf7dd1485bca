using ControlPanel.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// The timeline in the panel's database. Entries of one container are folded (<see cref="TimelineFolding"/>) one at
/// a time on this instance, so two restarts arriving together cannot both start a crash loop entry.
/// </summary>
public sealed class EfTimeline(IDbContextFactory<ControlPanelDbContext> contexts, TimelineFolding folding, FleetEvents events) : ITimeline
{
    private const int MaxLimit = 5000;
    private readonly SemaphoreSlim _folding = new(1, 1);

    public async Task<FleetEvent> RecordAsync(FleetEvent entry, CancellationToken cancellationToken)
    {
        entry = entry with { At = entry.At.ToUniversalTime(), Summary = Cut(entry.Summary, 1000) };
        await _folding.WaitAsync(cancellationToken);
        TimelineFold fold;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var recent = entry.ContainerId is null ? [] : await RecentAsync(db, entry, cancellationToken);
            fold = folding.Fold(entry, recent);
            if (fold.Absorbed.Count > 0)
                db.FleetEvents.RemoveRange(await db.FleetEvents.Where(e => fold.Absorbed.Contains(e.Id)).ToListAsync(cancellationToken));
            FleetEventRecord? inserted = null;
            if (fold.Insert is { } insert) db.FleetEvents.Add(inserted = ToRecord(insert));
            if (fold.Update is { } update)
            {
                var row = await db.FleetEvents.SingleAsync(e => e.Id == update.Id, cancellationToken);
                row.Summary = Cut(update.Summary, 1000);
                row.Count = update.Count;
                row.LastAt = update.LastAt;
                row.ExitCode = update.ExitCode;
            }
            await db.SaveChangesAsync(cancellationToken);
            if (inserted is not null) fold = fold with { Insert = fold.Insert! with { Id = inserted.Id } };
        }
        finally
        {
            _folding.Release();
        }
        if (fold.Insert is not null || fold.Update is not null) events.Publish(fold.Result);
        return fold.Result;
    }

    private async Task<List<FleetEvent>> RecentAsync(ControlPanelDbContext db, FleetEvent entry, CancellationToken cancellationToken)
    {
        var from = entry.At - folding.Lookback;
        var rows = await db.FleetEvents.AsNoTracking()
            .Where(e => e.Node == entry.Node && e.ContainerId == entry.ContainerId && (e.At >= from || (e.LastAt != null && e.LastAt >= from)))
            .ToListAsync(cancellationToken);
        return rows.Select(ToEntry).ToList();
    }

    public async Task<IReadOnlyList<FleetEvent>> QueryAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.FleetEvents.AsNoTracking();
        if (query.Service is { Length: > 0 } service) rows = rows.Where(e => e.Service == service);
        if (query.Node is { Length: > 0 } node) rows = rows.Where(e => e.Node == node);
        if (query.ContainerId is { Length: > 0 } id) rows = rows.Where(e => e.ContainerId != null && e.ContainerId.StartsWith(id));
        if (query.Kinds is { Count: > 0 } kinds) rows = rows.Where(e => kinds.Contains(e.Kind));
        // A folded entry that is still growing belongs to any window it reaches into.
        if (query.Since is { } since) rows = rows.Where(e => e.At >= since.ToUniversalTime() || (e.LastAt != null && e.LastAt >= since.ToUniversalTime()));
        if (query.Until is { } until) rows = rows.Where(e => e.At <= until.ToUniversalTime());
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var found = await rows.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken);
        return found.Select(ToEntry).ToList();
    }

    /// <summary>Deletes entries whose last occurrence is older than <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cutoff = before.ToUniversalTime();
        return await db.FleetEvents.Where(e => e.At < cutoff && (e.LastAt == null || e.LastAt < cutoff)).ExecuteDeleteAsync(cancellationToken);
    }

    private static FleetEventRecord ToRecord(FleetEvent e) => new()
    {
        At = e.At.ToUniversalTime(),
        Kind = e.Kind,
        Summary = Cut(e.Summary, 1000),
        Node = e.Node,
        ContainerId = e.ContainerId,
        ContainerName = e.ContainerName is null ? null : Cut(e.ContainerName, 300),
        Service = e.Service,
        ExitCode = e.ExitCode,
        Actor = e.Actor is null ? null : Cut(e.Actor, 200),
        DeploymentId = e.DeploymentId,
        BuildId = e.BuildId,
        Release = e.Release,
        Count = e.Count,
        LastAt = e.LastAt?.ToUniversalTime(),
    };

    private static FleetEvent ToEntry(FleetEventRecord r) => new()
    {
        Id = r.Id,
        At = r.At,
        Kind = r.Kind,
        Summary = r.Summary,
        Node = r.Node,
        ContainerId = r.ContainerId,
        ContainerName = r.ContainerName,
        Service = r.Service,
        ExitCode = r.ExitCode,
        Actor = r.Actor,
        DeploymentId = r.DeploymentId,
        BuildId = r.BuildId,
        Release = r.Release,
        Count = r.Count,
        LastAt = r.LastAt,
    };

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
