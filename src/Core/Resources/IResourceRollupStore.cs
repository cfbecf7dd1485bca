namespace ControlPanel.Core.Resources;

/// <summary>Durable one-minute rollups of each container's readings, so a panel restart keeps the last day.</summary>
public interface IResourceRollupStore
{
    Task SaveAsync(IReadOnlyList<ResourceRollup> rollups, CancellationToken cancellationToken);

    /// <summary>The scope's containers' rollups from <paramref name="since"/> on, oldest first (not summed).</summary>
    Task<IReadOnlyList<ResourceRollup>> LoadAsync(ResourceScope scope, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes the rollups older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>One container's readings over one minute, averaged; <see cref="ResourceSample.At"/> is the minute's start.</summary>
/// <param name="Service">The service the container is a replica of, or null.</param>
public sealed record ResourceRollup(string Node, string ContainerId, string? Service, ResourceSample Sample);
