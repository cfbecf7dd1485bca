using ControlPanel.Core.Resources;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>The day's one-minute rollups in the panel's database.</summary>
public sealed class EfResourceRollups(IDbContextFactory<ControlPanelDbContext> contexts) : IResourceRollupStore
{
    public async Task SaveAsync(IReadOnlyList<ResourceRollup> rollups, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Set<ResourceRollupRecord>().AddRange(rollups.Select(ToRecord));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ResourceRollup>> LoadAsync(ResourceScope scope, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var from = since.ToUnixTimeSeconds();
        var rows = db.Set<ResourceRollupRecord>().AsNoTracking().Where(r => r.MinuteUnixSeconds >= from);
        rows = scope switch
        {
            ResourceScope.Container c => rows.Where(r => r.Node == c.NodeName && r.ContainerId == c.Id),
            ResourceScope.Node n => rows.Where(r => r.Node == n.Name),
            ResourceScope.Service s => rows.Where(r => r.Service == s.Name),
            _ => rows.Where(_ => false),
        };
        var list = await rows.OrderBy(r => r.MinuteUnixSeconds).ToListAsync(cancellationToken);
        return list.Select(ToRollup).ToList();
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var until = before.ToUnixTimeSeconds();
        return await db.Set<ResourceRollupRecord>().Where(r => r.MinuteUnixSeconds < until).ExecuteDeleteAsync(cancellationToken);
    }

    private static ResourceRollupRecord ToRecord(ResourceRollup r) => new()
    {
        Node = r.Node,
        ContainerId = r.ContainerId,
        Service = r.Service,
        MinuteUnixSeconds = r.Sample.At.ToUnixTimeSeconds(),
        CpuPercentOfHost = r.Sample.CpuPercentOfHost,
        CpuPercentOfLimit = r.Sample.CpuPercentOfLimit,
        MemoryBytes = r.Sample.MemoryBytes,
        MemoryLimitBytes = r.Sample.MemoryLimitBytes,
        NetworkRxBytesPerSecond = r.Sample.NetworkRxBytesPerSecond,
        NetworkTxBytesPerSecond = r.Sample.NetworkTxBytesPerSecond,
        BlockReadBytesPerSecond = r.Sample.BlockReadBytesPerSecond,
        BlockWriteBytesPerSecond = r.Sample.BlockWriteBytesPerSecond,
        Pids = r.Sample.Pids,
    };

    private static ResourceRollup ToRollup(ResourceRollupRecord r) => new(r.Node, r.ContainerId, r.Service, new ResourceSample(
        DateTimeOffset.FromUnixTimeSeconds(r.MinuteUnixSeconds), r.CpuPercentOfHost, r.CpuPercentOfLimit, r.MemoryBytes, r.MemoryLimitBytes,
        r.NetworkRxBytesPerSecond, r.NetworkTxBytesPerSecond, r.BlockReadBytesPerSecond, r.BlockWriteBytesPerSecond, r.Pids));
}
