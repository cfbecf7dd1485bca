using System.Collections.Concurrent;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Pipelines;

/// <summary>
/// The signals of pipelines on this instance: one stored a change, started or ended here. <see cref="PipelineUpdates"/>
/// turns them into a stream per pipeline; every change also goes to <see cref="ServiceChanges"/> for the service's page.
/// </summary>
public sealed class PipelineChanges(ServiceChanges services)
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _next = new();
    private readonly ConcurrentDictionary<Guid, bool> _runningHere = new();

    /// <summary>True while this instance runs (or queues) the pipeline, so its every change is signalled here.</summary>
    public bool IsRunningHere(Guid pipeline) => _runningHere.ContainsKey(pipeline);

    public void Started(Guid pipeline) => _runningHere[pipeline] = true;

    public void Ended(Guid pipeline)
    {
        _runningHere.TryRemove(pipeline, out _);
        Wake(pipeline);
    }

    /// <summary>The next change of the pipeline: take it before reading the record, then wait for it.</summary>
    public Task Next(Guid pipeline) =>
        _next.GetOrAdd(pipeline, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The pipeline's record was stored anew.</summary>
    public void Changed(Pipeline pipeline)
    {
        Wake(pipeline.Id);
        services.Publish(new ServiceChange(pipeline.Service, ServiceChangeKind.PipelineChanged));
    }

    /// <summary>Wakes every follower of the pipeline (and drops its entry until someone asks for the next change).</summary>
    public void Wake(Guid pipeline)
    {
        if (_next.TryRemove(pipeline, out var waiting)) waiting.TrySetResult();
    }
}
