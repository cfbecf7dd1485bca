using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;

namespace ControlPanel.Core.Pipelines;

/// <summary>Starting, cancelling and reading pipelines for pages and the API, as the signed-in user or token.</summary>
public sealed class PipelineService(PipelineQueue queue, IPipelineStore store, ICurrentActor actor)
{
    public const int MaxListed = 100;

    /// <summary>Queues a build and (when <paramref name="deploy"/>) a release and deployment of the revision; returns the pipeline at once.</summary>
    public async Task<Pipeline> StartAsync(string service, string? revision, string? node, bool deploy, PipelineTrigger trigger, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        return await queue.EnqueueAsync(new PipelineRequest(service, revision, trigger, deploy, Node: string.IsNullOrWhiteSpace(node) ? null : node.Trim()), who, cancellationToken);
    }

    public async Task<Pipeline> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        return await queue.CancelAsync(id, who, cancellationToken);
    }

    public async Task<Pipeline> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.FindAsync(id, cancellationToken) ?? throw new PipelineNotFoundException(id);
    }

    /// <summary>Newest first, at most <paramref name="limit"/> (1 to <see cref="MaxListed"/>).</summary>
    public async Task<IReadOnlyList<Pipeline>> ListAsync(string service, int limit, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        if (limit is < 1 or > MaxListed) throw new InvalidRequestException("limit", $"'limit' must be between 1 and {MaxListed}; got {limit}.");
        return await store.ListAsync(service, limit, cancellationToken);
    }
}

public sealed class PipelineNotFoundException(Guid id) : ControlPanelException($"Pipeline {id} is not known to the panel.")
{
    public Guid Id { get; } = id;
}
