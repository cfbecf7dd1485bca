namespace ControlPanel.Core.Pipelines;

/// <summary>Where pipelines are recorded (the deployment history's database).</summary>
public interface IPipelineStore
{
    Task AddAsync(Pipeline pipeline, CancellationToken cancellationToken);
    /// <summary>Replaces the record with this id (status, stages and the links as they are now).</summary>
    Task UpdateAsync(Pipeline pipeline, CancellationToken cancellationToken);
    Task<Pipeline?> FindAsync(Guid id, CancellationToken cancellationToken);
    /// <summary>The pipeline a push delivery started (null: none did, or the delivery is unknown).</summary>
    Task<Pipeline?> FindByDeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken);
    /// <summary>Newest first; every service when <paramref name="service"/> is null.</summary>
    Task<IReadOnlyList<Pipeline>> ListAsync(string? service, int limit, CancellationToken cancellationToken);
    /// <summary>Queued or running, for recovery after a restart.</summary>
    Task<IReadOnlyList<Pipeline>> UnfinishedAsync(CancellationToken cancellationToken);
    /// <summary>Records that the instance holding these pipelines is alive.</summary>
    Task TouchAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>
/// Starts pipelines: one runs per service at a time; requests while one runs wait in order, and a later request for the
/// same revision and deploy choice replaces a waiting one (marked <see cref="PipelineStatus.Superseded"/>), so a burst
/// of pushes builds the newest commit once.
/// </summary>
public interface IPipelineQueue
{
    /// <summary>
    /// Records the pipeline (queued or running) and returns it at once; the stages run in the background.
    /// <paramref name="who"/> is the actor the stages run as (for a push: the pusher, authenticated by the hook's signature).
    /// </summary>
    Task<Pipeline> EnqueueAsync(PipelineRequest request, Security.Actor who, CancellationToken cancellationToken);
}
