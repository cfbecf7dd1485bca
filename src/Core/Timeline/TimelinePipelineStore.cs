using ControlPanel.Core.Pipelines;

namespace ControlPanel.Core.Timeline;

/// <summary>
/// The pipeline store, recording on the timeline (and so for alerts and outgoing webhooks) each pipeline's end, once.
/// A superseded pipeline never ran: the one that replaced it reports.
/// </summary>
public sealed class TimelinePipelineStore(IPipelineStore inner, PanelTimeline timeline) : IPipelineStore
{
    public Task AddAsync(Pipeline pipeline, CancellationToken cancellationToken) => inner.AddAsync(pipeline, cancellationToken);

    public async Task UpdateAsync(Pipeline pipeline, CancellationToken cancellationToken)
    {
        var ends = pipeline.IsFinished && pipeline.Status != PipelineStatus.Superseded
            && await inner.FindAsync(pipeline.Id, CancellationToken.None) is { IsFinished: false };
        await inner.UpdateAsync(pipeline, cancellationToken);
        if (ends) await timeline.RecordAsync(Entry(pipeline));
    }

    private FleetEvent Entry(Pipeline p)
    {
        var what = $"pipeline of {p.Revision}{(p.ShortCommit is { } c ? $" ({c})" : "")}";
        var (kind, summary) = p.Status switch
        {
            PipelineStatus.Succeeded => (FleetEventKind.PipelineSucceeded, p.Deploy ? $"{what} deployed release {p.ReleaseNumber}" : $"{what} built (build only)"),
            PipelineStatus.Cancelled => (FleetEventKind.PipelineFailed, $"{what} was cancelled"),
            PipelineStatus.Interrupted => (FleetEventKind.PipelineFailed, $"{what} was interrupted: its panel stopped"),
            _ => (FleetEventKind.PipelineFailed, $"{what} failed at {p.FailedStage?.ToString().ToLowerInvariant() ?? "a stage"}: {p.Message}"),
        };
        return new FleetEvent
        {
            At = p.EndedAt ?? timeline.Now, Kind = kind, Summary = summary, Service = p.Service, Actor = p.TriggeredBy,
            BuildId = p.BuildId, DeploymentId = p.DeploymentId, Release = p.ReleaseNumber,
        };
    }

    public Task<Pipeline?> FindAsync(Guid id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);
    public Task<Pipeline?> FindByDeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken) => inner.FindByDeliveryAsync(service, deliveryId, cancellationToken);
    public Task<IReadOnlyList<Pipeline>> ListAsync(string? service, int limit, CancellationToken cancellationToken) => inner.ListAsync(service, limit, cancellationToken);
    public Task<IReadOnlyList<Pipeline>> UnfinishedAsync(CancellationToken cancellationToken) => inner.UnfinishedAsync(cancellationToken);

    public Task TouchAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken) => inner.TouchAsync(ids, at, cancellationToken);
}
