using System.Collections.Concurrent;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Core.Tests.Pipelines;

public sealed class PipelineQueueTests : IAsyncDisposable
{
    private static readonly Actor Deployer = new("dora", null, new HashSet<Role> { Role.Deployer }, true);
    private static readonly Common.LivenessOptions Liveness = new() { AbandonedAfter = TimeSpan.FromMinutes(2) };
    private readonly MemoryStore _store = new();
    private readonly HeldStages _stages;
    private readonly MemoryAudit _audit = new();
    private readonly PipelineQueue _queue;

    public PipelineQueueTests()
    {
        _stages = new HeldStages(_store);
        _queue = new PipelineQueue(_store, _stages, new PipelineChanges(new ServiceChanges()), _audit, Liveness, TimeProvider.System,
            NullLogger<PipelineQueue>.Instance);
    }

    [Fact]
    public async Task Enqueue_WhileOneRunsForTheService_StoresItQueued_AndRunsItWhenTheFirstEnds()
    {
        var first = await _queue.EnqueueAsync(Request("shop"), Deployer, default);
        var second = await _queue.EnqueueAsync(Request("shop"), Deployer, default);

        Assert.Equal(PipelineStatus.Running, first.Status);
        Assert.Equal(PipelineStatus.Queued, second.Status);
        await _stages.StartedAsync(first.Id);
        Assert.Equal([first.Id], _stages.Ran);

        _stages.Finish(first.Id);
        await _stages.StartedAsync(second.Id);
        Assert.Equal([first.Id, second.Id], _stages.Ran);
        Assert.Equal(PipelineStatus.Running, _store.Get(second.Id).Status);
        Assert.Equal(PipelineStatus.Succeeded, _store.Get(first.Id).Status);
    }

    [Fact]
    public async Task Enqueue_WhileOneIsQueued_SupersedesTheQueuedOne_WhichNeverRuns()
    {
        var running = await _queue.EnqueueAsync(Request("shop"), Deployer, default);
        var older = await _queue.EnqueueAsync(Request("shop", commit: "1111111"), Deployer, default);
        var newer = await _queue.EnqueueAsync(Request("shop", commit: "2222222"), Deployer, default);

        var superseded = _store.Get(older.Id);
        Assert.Equal(PipelineStatus.Superseded, superseded.Status);
        Assert.Equal(newer.Id, superseded.SupersededBy);
        Assert.All(superseded.Stages, s => Assert.Equal(PipelineStageStatus.Skipped, s.Status));
        Assert.Equal(PipelineStatus.Queued, _store.Get(newer.Id).Status);

        _stages.Finish(running.Id);
        await _stages.StartedAsync(newer.Id);
        _stages.Finish(newer.Id);
        await _stages.EndedAsync(newer.Id);
        Assert.Equal([running.Id, newer.Id], _stages.Ran);
        Assert.Equal(3, _store.Count);
        Assert.Equal(3, _audit.Count("pipeline.start"));
    }

    [Fact]
    public async Task Enqueue_OfAnotherRevisionOrDeployChoice_WaitsInOrder_AndReplacesNothing()
    {
        var running = await _queue.EnqueueAsync(Request("shop"), Deployer, default);
        var feature = await _queue.EnqueueAsync(Request("shop", revision: "feature-x", deploy: false), Deployer, default);
        var buildOnly = await _queue.EnqueueAsync(Request("shop", deploy: false), Deployer, default);
        var pinned = await _queue.EnqueueAsync(Request("shop", revision: "0123456789abcdef0123456789abcdef01234567"), Deployer, default);
        var head = await _queue.EnqueueAsync(Request("shop"), Deployer, default);

        Assert.All([feature, buildOnly, pinned, head], p => Assert.Equal(PipelineStatus.Queued, _store.Get(p.Id).Status));
        foreach (var next in new[] { running, feature, buildOnly, pinned, head })
        {
            await _stages.StartedAsync(next.Id);
            _stages.Finish(next.Id);
        }
        await _stages.EndedAsync(head.Id);
        Assert.Equal([running.Id, feature.Id, buildOnly.Id, pinned.Id, head.Id], _stages.Ran);
    }

    [Fact]
    public async Task ARunnerThatDiesBetweenStages_FailsTheStageThatWasNext_NotTheBuildThatSucceeded()
    {
        var store = new MemoryStore();
        await using var queue = new PipelineQueue(store, new DiesAfterTheBuild(store), new PipelineChanges(new ServiceChanges()), _audit,
            Liveness, TimeProvider.System, NullLogger<PipelineQueue>.Instance);

        var pipeline = await queue.EnqueueAsync(Request("shop"), Deployer, default);
        for (var wait = 0; !store.Get(pipeline.Id).IsFinished && wait < 100; wait++) await Task.Delay(50);

        var ended = store.Get(pipeline.Id);
        Assert.Equal(PipelineStatus.Failed, ended.Status);
        Assert.Equal(PipelineStageKind.Release, ended.FailedStage);
        Assert.Equal(PipelineStageStatus.Succeeded, ended.Stage(PipelineStageKind.Build).Status);
        Assert.Equal(PipelineStageStatus.Skipped, ended.Stage(PipelineStageKind.Deploy).Status);
    }

    [Fact]
    public async Task MarkInterrupted_TakesOnlyPipelinesWithoutAHeartbeatForLong_NeverALiveInstancesOrItsOwn()
    {
        var now = DateTimeOffset.UtcNow;
        Pipeline Left(DateTimeOffset? beat) => new()
        {
            Id = Guid.NewGuid(), Service = "elsewhere", Trigger = PipelineTrigger.Api, TriggeredBy = "dora", Revision = "main",
            CreatedAt = now.AddHours(-1), StartedAt = now.AddHours(-1), Status = PipelineStatus.Running, HeartbeatAt = beat, Stages = PipelineProgress.NewStages(),
        };
        var dead = Left(now.AddMinutes(-3));
        var live = Left(now.AddSeconds(-10)); // another instance that beat 10 s ago
        await _store.AddAsync(dead, default);
        await _store.AddAsync(live, default);
        var own = await _queue.EnqueueAsync(Request("shop"), Deployer, default);
        await _store.UpdateAsync(_store.Get(own.Id) with { StartedAt = now.AddHours(-1) }, default); // held here, however old

        Assert.Equal(1, await _queue.MarkInterruptedAsync(default));
        Assert.Equal(PipelineStatus.Interrupted, _store.Get(dead.Id).Status);
        Assert.Equal(PipelineStatus.Running, _store.Get(live.Id).Status);
        Assert.Equal(PipelineStatus.Running, _store.Get(own.Id).Status);
    }

    [Fact]
    public async Task Enqueue_ForAnotherService_RunsAtOnce()
    {
        var shop = await _queue.EnqueueAsync(Request("shop"), Deployer, default);
        var api = await _queue.EnqueueAsync(Request("api"), Deployer, default);

        await _stages.StartedAsync(shop.Id);
        await _stages.StartedAsync(api.Id);
        Assert.Equal(2, _stages.Ran.Count);
    }

    [Fact]
    public async Task Cancel_OfAQueuedPipeline_EndsItCancelled_AndItNeverRuns()
    {
        var running = await _queue.EnqueueAsync(Request("shop"), Deployer, default);
        var queued = await _queue.EnqueueAsync(Request("shop"), Deployer, default);

        var cancelled = await _queue.CancelAsync(queued.Id, Deployer, default);
        // Another revision waits behind it and is not replaced by it: it runs next only if the cancelled one left the line.
        var probe = await _queue.EnqueueAsync(Request("shop", revision: "probe"), Deployer, default);
        _stages.Finish(running.Id);
        await _stages.StartedAsync(probe.Id);

        Assert.Equal(PipelineStatus.Cancelled, cancelled.Status);
        Assert.All(_store.Get(queued.Id).Stages, s => Assert.Equal(PipelineStageStatus.Cancelled, s.Status));
        Assert.Equal([running.Id, probe.Id], _stages.Ran);
        Assert.Equal(1, _audit.Count("pipeline.cancel"));
    }

    [Fact]
    public async Task Enqueue_ByAViewer_IsRefused_AndStoresNothing()
    {
        var viewer = new Actor("vic", null, new HashSet<Role> { Role.Viewer }, true);

        await Assert.ThrowsAsync<PermissionDeniedException>(() => _queue.EnqueueAsync(Request("shop"), viewer, default));

        Assert.Equal(0, _store.Count);
        Assert.Empty(_stages.Ran);
    }

    private static PipelineRequest Request(string service, string? commit = null, string? revision = null, bool deploy = true) =>
        new(service, revision, PipelineTrigger.Api, deploy, Commit: commit);

    public async ValueTask DisposeAsync()
    {
        _stages.FinishAll();
        await _queue.DisposeAsync();
    }

    /// <summary>Stages that run until the test lets each pipeline finish, then store it succeeded.</summary>
    private sealed class HeldStages(MemoryStore store) : IPipelineStages
    {
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _finish = new();
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _started = new();
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _ended = new();
        private readonly ConcurrentQueue<Guid> _ran = new();

        public IReadOnlyList<Guid> Ran => [.. _ran];

        public Task<string> CheckAsync(PipelineRequest request, Actor who, CancellationToken cancellationToken) => Task.FromResult(request.Revision ?? "main");

        public async Task RunAsync(Pipeline pipeline, Actor who, string? node, CancellationToken cancel, CancellationToken stopping)
        {
            _ran.Enqueue(pipeline.Id);
            Signal(_started, pipeline.Id).TrySetResult();
            await Signal(_finish, pipeline.Id).Task;
            await store.UpdateAsync(pipeline.Succeed(DateTimeOffset.UtcNow), CancellationToken.None);
            Signal(_ended, pipeline.Id).TrySetResult();
        }

        public void Finish(Guid id) => Signal(_finish, id).TrySetResult();
        public void FinishAll() { foreach (var id in _ran) Finish(id); }
        public Task StartedAsync(Guid id) => Signal(_started, id).Task.WaitAsync(TimeSpan.FromSeconds(10));
        public Task EndedAsync(Guid id) => Signal(_ended, id).Task.WaitAsync(TimeSpan.FromSeconds(10));

        private static TaskCompletionSource Signal(ConcurrentDictionary<Guid, TaskCompletionSource> signals, Guid id) =>
            signals.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>Stores the build's success, then fails as a lost database would when the release stage's start is stored.</summary>
    private sealed class DiesAfterTheBuild(MemoryStore store) : IPipelineStages
    {
        public Task<string> CheckAsync(PipelineRequest request, Actor who, CancellationToken cancellationToken) => Task.FromResult("main");

        public async Task RunAsync(Pipeline pipeline, Actor who, string? node, CancellationToken cancel, CancellationToken stopping)
        {
            await store.UpdateAsync(pipeline.StartStage(PipelineStageKind.Build, DateTimeOffset.UtcNow).SucceedStage(PipelineStageKind.Build, DateTimeOffset.UtcNow), cancel);
            throw new InvalidOperationException("the database went away");
        }
    }

    private sealed class MemoryStore : IPipelineStore
    {
        private readonly ConcurrentDictionary<Guid, Pipeline> _rows = new();

        public int Count => _rows.Count;
        public Pipeline Get(Guid id) => _rows[id];

        public Task AddAsync(Pipeline pipeline, CancellationToken cancellationToken) => Task.FromResult(_rows.TryAdd(pipeline.Id, pipeline));
        public Task UpdateAsync(Pipeline pipeline, CancellationToken cancellationToken) => Task.FromResult(_rows[pipeline.Id] = pipeline);
        public Task<Pipeline?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_rows.GetValueOrDefault(id));
        public Task<Pipeline?> FindByDeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken) =>
            Task.FromResult(_rows.Values.FirstOrDefault(p => p.Service == service && p.DeliveryId == deliveryId));
        public Task<IReadOnlyList<Pipeline>> ListAsync(string? service, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Pipeline>>([.. _rows.Values.Where(p => service is null || p.Service == service).OrderByDescending(p => p.CreatedAt).Take(limit)]);
        public Task<IReadOnlyList<Pipeline>> UnfinishedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Pipeline>>([.. _rows.Values.Where(p => !p.IsFinished)]);

        public Task TouchAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken)
        {
            foreach (var id in ids) _rows[id] = _rows[id] with { HeartbeatAt = at };
            return Task.CompletedTask;
        }
    }

    private sealed class MemoryAudit : IAuditLog
    {
        private readonly ConcurrentQueue<AuditEntry> _entries = new();

        public int Count(string action) => _entries.Count(e => e.Action == action);

        public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            _entries.Enqueue(entry);
            return Task.CompletedTask;
        }

        public Task<long> BeginAsync(AuditEntry entry, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task CompleteAsync(long id, AuditEntry outcome, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries]);
    }
}
