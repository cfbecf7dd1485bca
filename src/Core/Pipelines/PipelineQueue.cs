using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Pipelines;

/// <summary>
/// One pipeline runs per service on this instance; requests while one runs wait in order. A later request for the same
/// revision with the same deploy choice replaces one still waiting (superseded), so a burst of pushes to a branch builds
/// its newest commit once; a request for something else (another branch, a chosen SHA, build only) keeps its place.
/// </summary>
public sealed class PipelineQueue(IPipelineStore store, IPipelineStages stages, PipelineChanges changes, IAuditLog auditLog, LivenessOptions liveness,
    TimeProvider time, ILogger<PipelineQueue> logger) : IPipelineQueue, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Slot> _services = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    private sealed record Waiting(Pipeline Pipeline, Actor Who, string? Node);
    private sealed record Running(Guid Id, CancellationTokenSource Cancel, Task Task);

    private sealed class Slot
    {
        public Running? Running;
        public List<Waiting> Queued { get; } = [];
    }

    public async Task<Pipeline> EnqueueAsync(PipelineRequest request, Actor who, CancellationToken cancellationToken)
    {
        who.Require(Permission.Deploy);
        var revision = await stages.CheckAsync(request, who, cancellationToken);
        var now = time.GetUtcNow();
        var pipeline = new Pipeline
        {
            Id = Guid.CreateVersion7(now),
            Service = request.Service,
            Trigger = request.Trigger,
            TriggeredBy = who.Name,
            Revision = revision,
            Commit = request.Commit,
            Deploy = request.Deploy,
            Provider = request.Provider,
            DeliveryId = request.DeliveryId,
            CreatedAt = now,
            Stages = PipelineProgress.NewStages(),
        };
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var slot = SlotOf(request.Service);
            if (slot.Running is null) pipeline = pipeline with { Status = PipelineStatus.Running, StartedAt = now };
            // Audited first: a pipeline never runs without a row saying who started it.
            await auditLog.RecordAsync(Audit(who, "pipeline.start", pipeline,
                $"trigger={pipeline.Trigger.ToString().ToLowerInvariant()} revision={revision}{(request.Commit is { } c ? $" commit={c}" : "")} deploy={request.Deploy.ToString().ToLowerInvariant()}"
                + (request.Provider is { } p ? $" provider={p}" : "") + (request.DeliveryId is { } d ? $" delivery={d}" : "")), cancellationToken);
            await store.AddAsync(pipeline, CancellationToken.None);
            changes.Started(pipeline.Id);
            changes.Changed(pipeline);
            if (slot.Running is null)
            {
                Launch(slot, new Waiting(pipeline, who, request.Node));
                return pipeline;
            }
            foreach (var older in slot.Queued.Where(q => Replaces(pipeline, q.Pipeline)).ToList())
            {
                slot.Queued.Remove(older);
                var superseded = older.Pipeline.Supersede(pipeline, now);
                await store.UpdateAsync(superseded, CancellationToken.None);
                changes.Changed(superseded);
                changes.Ended(superseded.Id);
            }
            slot.Queued.Add(new Waiting(pipeline, who, request.Node));
            return pipeline;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Cancels a queued pipeline at once, or asks a running one to cancel its stage (the runner stores the outcome).
    /// Refused for a pipeline that has ended or runs on another instance.
    /// </summary>
    public async Task<Pipeline> CancelAsync(Guid id, Actor who, CancellationToken cancellationToken)
    {
        who.Require(Permission.Deploy);
        var pipeline = await store.FindAsync(id, cancellationToken) ?? throw new PipelineNotFoundException(id);
        if (pipeline.IsFinished)
            throw new InvalidRequestException("pipeline", $"Pipeline {id} is not running: it ended {pipeline.Status.ToString().ToLowerInvariant()}.");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var slot = SlotOf(pipeline.Service);
            if (slot.Queued.Find(q => q.Pipeline.Id == id) is { } waiting)
            {
                slot.Queued.Remove(waiting);
                pipeline = pipeline.Cancel(time.GetUtcNow(), $"Cancelled by {who.Name} before it ran.");
                await store.UpdateAsync(pipeline, CancellationToken.None);
                changes.Changed(pipeline);
                changes.Ended(id);
            }
            else if (slot.Running?.Id == id) await slot.Running.Cancel.CancelAsync();
            else throw new InvalidRequestException("pipeline", $"Pipeline {id} runs on another instance of the panel; cancel it there.");
        }
        finally
        {
            _gate.Release();
        }
        await auditLog.RecordAsync(Audit(who, "pipeline.cancel", pipeline, $"trigger={pipeline.Trigger.ToString().ToLowerInvariant()}"), CancellationToken.None);
        return pipeline;
    }

    /// <summary>
    /// Marks interrupted the pipelines whose panel stopped while it held them (their builds and deployments stopped with
    /// it): queued or running, and no heartbeat for <see cref="LivenessOptions.AbandonedAfter"/>. Run at start and now and
    /// then, since with a shared PostgreSQL another instance may be the one that died; a live instance's are left alone.
    /// </summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        var held = await HeldAsync(cancellationToken);
        var cutoff = time.GetUtcNow() - liveness.AbandonedAfter;
        var marked = 0;
        foreach (var pipeline in await store.UnfinishedAsync(cancellationToken))
        {
            if (held.Contains(pipeline.Id) || changes.IsRunningHere(pipeline.Id)) continue;
            if ((pipeline.HeartbeatAt ?? pipeline.StartedAt ?? pipeline.CreatedAt) > cutoff) continue;
            var interrupted = pipeline.Interrupt(time.GetUtcNow());
            await store.UpdateAsync(interrupted, cancellationToken);
            changes.Changed(interrupted);
            marked++;
        }
        if (marked > 0) logger.LogWarning("Marked {Count} pipelines interrupted: the panel stopped while they ran", marked);
        return marked;
    }

    /// <summary>
    /// A newer request makes a waiting one pointless when it asks for the same revision with the same deploy choice: a
    /// branch's newer head, or the same SHA again. A build-only request never displaces a deploy, nor the reverse.
    /// </summary>
    public static bool Replaces(Pipeline newer, Pipeline waiting) =>
        newer.Deploy == waiting.Deploy && string.Equals(newer.Revision, waiting.Revision, StringComparison.Ordinal);

    /// <summary>Says, every <see cref="LivenessOptions.HeartbeatInterval"/>, that the pipelines this instance holds are alive.</summary>
    public Task BeatAsync(CancellationToken cancellationToken) =>
        Heartbeat.RunAsync(liveness.HeartbeatInterval, time, async (now, ct) => await store.TouchAsync(await HeldAsync(ct), now, ct),
            ex => logger.LogWarning(ex, "Heartbeat of this panel's pipelines stopped"), cancellationToken);

    private async Task<HashSet<Guid>> HeldAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return [.. _services.Values.SelectMany(s => s.Queued.Select(q => q.Pipeline.Id).Concat(s.Running is { } r ? [r.Id] : []))];
        }
        finally
        {
            _gate.Release();
        }
    }

    private Slot SlotOf(string service)
    {
        if (!_services.TryGetValue(service, out var slot)) _services[service] = slot = new Slot();
        return slot;
    }

    /// <summary>Called under the gate.</summary>
    private void Launch(Slot slot, Waiting next)
    {
        var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var task = Task.Run(async () =>
        {
            await started.Task;
            try
            {
                await stages.RunAsync(next.Pipeline, next.Who, next.Node, cancel.Token, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // The panel stops: the record stays running and is marked interrupted at the next start.
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Pipeline {Pipeline} of {Service} stopped unexpectedly", next.Pipeline.Id, next.Pipeline.Service);
                await FailUnexpectedlyAsync(next.Pipeline.Id, ex);
            }
            finally
            {
                changes.Ended(next.Pipeline.Id);
                if (!_stopping.IsCancellationRequested) await StartNextAsync(next.Pipeline.Service, next.Pipeline.Id);
                cancel.Dispose();
            }
        });
        slot.Running = new Running(next.Pipeline.Id, cancel, task);
        started.SetResult(); // the slot holds it before it can end and free the slot
    }

    /// <summary>The runner could not store its outcome (the database failed mid-way): say so in the record, if it can be written now.</summary>
    private async Task FailUnexpectedlyAsync(Guid id, Exception ex)
    {
        try
        {
            if (await store.FindAsync(id, CancellationToken.None) is not { IsFinished: false } stuck) return;
            // The stage that was running, else the first not yet run (its start could not be stored); never one that succeeded.
            var stage = (stuck.Stages.FirstOrDefault(s => s.Status == PipelineStageStatus.Running)
                ?? stuck.Stages.FirstOrDefault(s => s.Status == PipelineStageStatus.Pending))?.Kind;
            if (stage is null)
            {
                // Every stage had ended well: only the pipeline's own end was not stored.
                var done = stuck.Succeed(time.GetUtcNow());
                await store.UpdateAsync(done, CancellationToken.None);
                changes.Changed(done);
                return;
            }
            var failed = stuck.Fail(stage.Value, time.GetUtcNow(), $"{stage.Value.ToString().ToLowerInvariant()} failed: the panel hit an unexpected error ({ex.Message})");
            await store.UpdateAsync(failed, CancellationToken.None);
            changes.Changed(failed);
        }
        catch (Exception again)
        {
            logger.LogError(again, "Pipeline {Pipeline} stays unfinished until the panel restarts", id);
        }
    }

    private async Task StartNextAsync(string service, Guid ended)
    {
        await _gate.WaitAsync();
        try
        {
            var slot = SlotOf(service);
            if (slot.Running?.Id == ended) slot.Running = null;
            // A pipeline whose start cannot be stored is failed (if that can be stored) and the next one tried, so none
            // stays queued with nothing left to start it.
            while (slot.Running is null && slot.Queued.Count > 0)
            {
                var next = slot.Queued[0];
                slot.Queued.RemoveAt(0);
                var running = next.Pipeline with { Status = PipelineStatus.Running, StartedAt = time.GetUtcNow() };
                try
                {
                    await store.UpdateAsync(running, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Could not start queued pipeline {Pipeline} of {Service}", running.Id, service);
                    await FailUnexpectedlyAsync(running.Id, ex);
                    changes.Ended(running.Id);
                    continue;
                }
                changes.Changed(running);
                Launch(slot, next with { Pipeline = running });
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private AuditEntry Audit(Actor who, string action, Pipeline pipeline, string detail) => new()
    {
        At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = action,
        Target = $"{pipeline.Service} pipeline {pipeline.Id}", Detail = detail, Succeeded = true, Duration = TimeSpan.Zero,
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] running;
        await _gate.WaitAsync();
        try
        {
            running = [.. _services.Values.Select(s => s.Running?.Task).OfType<Task>()];
        }
        finally
        {
            _gate.Release();
        }
        await Task.WhenAll(running);
    }
}
