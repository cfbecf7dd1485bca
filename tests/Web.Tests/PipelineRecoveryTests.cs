using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Pipelines;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>A panel that stopped while pipelines ran or waited: once their heartbeat is stale they are marked interrupted, not resumed.</summary>
public sealed class PipelineRecoveryTests : IAsyncLifetime
{
    private LabDatabase _database = default!;
    private PanelFactory _first = default!;
    private PanelFactory? _second;

    public async Task InitializeAsync()
    {
        _database = await LabDatabase.CreateAsync(); // shared by both panels, as instances after a restart share it
        _first = new PanelFactory(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        if (_second is not null) await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task AtStart_RunningAndQueuedPipelinesLeftBehind_AreMarkedInterrupted_AndAlertedAsFailed()
    {
        var store = _first.Services.GetRequiredService<IPipelineStore>();
        var at = DateTimeOffset.UtcNow;
        var running = Pipeline(at) with { Status = PipelineStatus.Running, StartedAt = at };
        running = running.StartStage(PipelineStageKind.Build, at);
        var queued = Pipeline(at.AddSeconds(1));
        await store.AddAsync(running, default);
        await store.AddAsync(queued, default);
        await _first.DisposeAsync(); // the panel stops with both unfinished

        _second = new PanelFactory(_database.ConnectionString);
        // Left behind means no heartbeat for AbandonedAfter (their panel held them until it stopped): short here.
        _second.Settings["ControlPanel:Liveness:HeartbeatInterval"] = "00:00:01";
        _second.Settings["ControlPanel:Liveness:AbandonedAfter"] = "00:00:03";
        using var viewer = await _second.CreateClientAsync(Core.Security.Role.Viewer);
        Pipeline stages = default!, waiting = default!;
        await LabContainers.WaitUntilAsync(async () =>
        {
            stages = (await viewer.GetFromJsonAsync<Pipeline>($"/api/pipelines/{running.Id}", ApiJson))!;
            waiting = (await viewer.GetFromJsonAsync<Pipeline>($"/api/pipelines/{queued.Id}", ApiJson))!;
            return stages.IsFinished && waiting.IsFinished;
        }, TimeSpan.FromSeconds(30), "both left-behind pipelines to be marked");

        Assert.Equal((PipelineStatus.Interrupted, (PipelineStageKind?)PipelineStageKind.Build), (stages.Status, stages.FailedStage));
        Assert.Equal([PipelineStageStatus.Failed, PipelineStageStatus.Skipped, PipelineStageStatus.Skipped], stages.Stages.Select(s => s.Status));
        Assert.Equal(PipelineStatus.Interrupted, waiting.Status);
        var alerts = (await viewer.GetFromJsonAsync<JsonElement>("/api/services/recovered/timeline?kind=PipelineFailed")).EnumerateArray().ToList();
        Assert.Equal(2, alerts.Count);
    }

    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static Pipeline Pipeline(DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at), Service = "recovered", Trigger = PipelineTrigger.Api, TriggeredBy = "dora", Revision = "main", CreatedAt = at,
        Stages = PipelineProgress.NewStages(),
    };
}
