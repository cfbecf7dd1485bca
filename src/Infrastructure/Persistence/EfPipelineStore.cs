using System.Text.Json;
using ControlPanel.Core.Pipelines;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Pipelines in the database, beside the builds and deployments they tie together.</summary>
public sealed class EfPipelineStore(IDbContextFactory<ControlPanelDbContext> contexts) : IPipelineStore
{
    private static readonly string[] Unfinished = [PipelineStatus.Queued.ToString(), PipelineStatus.Running.ToString()];

    public async Task AddAsync(Pipeline pipeline, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = new PipelineRecord { Id = pipeline.Id };
        Copy(pipeline, row);
        db.Pipelines.Add(row);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UpdateAsync(Pipeline pipeline, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Pipelines.FirstAsync(p => p.Id == pipeline.Id, cancellationToken);
        Copy(pipeline, row);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Pipeline?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return row is null ? null : ToPipeline(row);
    }

    public async Task<Pipeline?> FindByDeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Pipelines.AsNoTracking().Where(p => p.Service == service && p.DeliveryId == deliveryId)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToPipeline(row);
    }

    public async Task<IReadOnlyList<Pipeline>> ListAsync(string? service, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Pipelines.AsNoTracking();
        if (service is { Length: > 0 }) rows = rows.Where(p => p.Service == service);
        return (await rows.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(limit).ToListAsync(cancellationToken)).Select(ToPipeline).ToList();
    }

    public async Task<IReadOnlyList<Pipeline>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Pipelines.AsNoTracking().Where(p => Unfinished.Contains(p.Status)).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);
        return rows.Select(ToPipeline).ToList();
    }

    public async Task TouchAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var utc = at.ToUniversalTime();
        await db.Pipelines.Where(p => ids.Contains(p.Id)).ExecuteUpdateAsync(set => set.SetProperty(p => p.HeartbeatAt, utc), cancellationToken);
    }

    private static void Copy(Pipeline p, PipelineRecord row)
    {
        row.Service = p.Service;
        row.Trigger = p.Trigger.ToString();
        row.TriggeredBy = p.TriggeredBy is { Length: > 200 } who ? who[..200] : p.TriggeredBy;
        row.Revision = p.Revision;
        row.Commit = p.Commit;
        row.Deploy = p.Deploy;
        row.Provider = p.Provider;
        row.DeliveryId = p.DeliveryId;
        row.CreatedAt = p.CreatedAt.ToUniversalTime();
        row.StartedAt = p.StartedAt?.ToUniversalTime();
        row.EndedAt = p.EndedAt?.ToUniversalTime();
        // A record read before the latest heartbeat must not take it back.
        if (p.HeartbeatAt?.ToUniversalTime() is { } beat && (row.HeartbeatAt is null || beat > row.HeartbeatAt)) row.HeartbeatAt = beat;
        row.Status = p.Status.ToString();
        row.FailedStage = p.FailedStage?.ToString();
        row.Message = p.Message is { Length: > 4000 } m ? m[..4000] : p.Message;
        row.BuildId = p.BuildId;
        row.ReleaseNumber = p.ReleaseNumber;
        row.DeploymentId = p.DeploymentId;
        row.SupersededBy = p.SupersededBy;
        row.StagesJson = JsonSerializer.Serialize(p.Stages, StoredJson.Options);
    }

    private static Pipeline ToPipeline(PipelineRecord row) => new()
    {
        Id = row.Id,
        Service = row.Service,
        Trigger = Enum.Parse<PipelineTrigger>(row.Trigger),
        TriggeredBy = row.TriggeredBy,
        Revision = row.Revision,
        Commit = row.Commit,
        Deploy = row.Deploy,
        Provider = row.Provider,
        DeliveryId = row.DeliveryId,
        CreatedAt = row.CreatedAt,
        StartedAt = row.StartedAt,
        EndedAt = row.EndedAt,
        HeartbeatAt = row.HeartbeatAt,
        Status = Enum.Parse<PipelineStatus>(row.Status),
        FailedStage = row.FailedStage is { } stage ? Enum.Parse<PipelineStageKind>(stage) : null,
        Message = row.Message,
        BuildId = row.BuildId,
        ReleaseNumber = row.ReleaseNumber,
        DeploymentId = row.DeploymentId,
        SupersededBy = row.SupersededBy,
        Stages = JsonSerializer.Deserialize<List<PipelineStage>>(row.StagesJson, StoredJson.Options) ?? [],
    };
}
