using ControlPanel.Core.Pipelines;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Tests.Persistence;

/// <summary>The pipeline store on both providers: a record and its stages read back as stored, lists, deliveries and recovery.</summary>
public sealed class EfPipelineStoreTests : IAsyncLifetime
{
    private ProviderDatabases _databases = default!;

    public async Task InitializeAsync() => _databases = await ProviderDatabases.CreateAsync();

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    private async Task<EfPipelineStore> StoreAsync(string provider)
    {
        var contexts = _databases.Contexts(provider);
        await using (var db = contexts.CreateDbContext()) await db.Database.MigrateAsync();
        return new EfPipelineStore(contexts);
    }

    private static Pipeline New(string service, DateTimeOffset at, string? delivery = null) => new()
    {
        Id = Guid.CreateVersion7(at), Service = service, Trigger = delivery is null ? PipelineTrigger.Click : PipelineTrigger.Push, TriggeredBy = "dora",
        Revision = "main", Provider = delivery is null ? null : "github", DeliveryId = delivery, CreatedAt = at, Stages = PipelineProgress.NewStages(),
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Update_StoresStatusStagesAndLinks_AndFindReadsThemBack(string provider)
    {
        var store = await StoreAsync(provider);
        var at = DateTimeOffset.UtcNow;
        var pipeline = New("shop", at) with { Status = PipelineStatus.Running, StartedAt = at };
        await store.AddAsync(pipeline, default);

        var failed = pipeline.StartStage(PipelineStageKind.Build, at.AddSeconds(1)).SucceedStage(PipelineStageKind.Build, at.AddSeconds(5), "built")
            .StartStage(PipelineStageKind.Release, at.AddSeconds(5)).Fail(PipelineStageKind.Release, at.AddSeconds(6), "release failed: no such tag")
            with { BuildId = Guid.NewGuid(), Commit = new string('a', 40) };
        await store.UpdateAsync(failed, default);
        var read = (await store.FindAsync(pipeline.Id, default))!;

        Assert.Equal((PipelineStatus.Failed, (PipelineStageKind?)PipelineStageKind.Release, "release failed: no such tag"), (read.Status, read.FailedStage, read.Message));
        Assert.Equal((failed.BuildId, failed.Commit), (read.BuildId, read.Commit));
        Assert.Equal([PipelineStageStatus.Succeeded, PipelineStageStatus.Failed, PipelineStageStatus.Skipped], read.Stages.Select(s => s.Status));
        Assert.Equal(4, read.Stage(PipelineStageKind.Build).Duration!.Value.TotalSeconds, 3);
        Assert.Equal("built", read.Stage(PipelineStageKind.Build).Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ListsNewestFirst_FindsByDelivery_AndUnfinishedAreQueuedOrRunning(string provider)
    {
        var store = await StoreAsync(provider);
        var at = DateTimeOffset.UtcNow;
        var done = New("shop", at) with { Status = PipelineStatus.Succeeded };
        var running = New("shop", at.AddSeconds(1), "delivery-1") with { Status = PipelineStatus.Running };
        var queued = New("shop", at.AddSeconds(2)) with { Status = PipelineStatus.Queued };
        var other = New("api", at.AddSeconds(3), "delivery-1") with { Status = PipelineStatus.Succeeded };
        foreach (var p in new[] { done, running, queued, other }) await store.AddAsync(p, default);

        Assert.Equal([queued.Id, running.Id], (await store.ListAsync("shop", 2, default)).Select(p => p.Id));
        Assert.Equal(4, (await store.ListAsync(null, 10, default)).Count);
        Assert.Equal(running.Id, (await store.FindByDeliveryAsync("shop", "delivery-1", default))?.Id);
        Assert.Null(await store.FindByDeliveryAsync("shop", "delivery-2", default));
        Assert.Equal([running.Id, queued.Id], (await store.UnfinishedAsync(default)).Select(p => p.Id));
    }
}
