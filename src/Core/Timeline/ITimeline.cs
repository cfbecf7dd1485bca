namespace ControlPanel.Core.Timeline;

/// <summary>The stored fleet events (the timeline of a service or a container), kept for the retention setting.</summary>
public interface ITimeline
{
    /// <summary>Stores the entry, folding it into a recent crash loop or health flap entry when it is one more of those, and publishes it.</summary>
    Task<FleetEvent> RecordAsync(FleetEvent entry, CancellationToken cancellationToken);

    /// <summary>Entries matching the query, newest first, at most <see cref="TimelineQuery.Limit"/>.</summary>
    Task<IReadOnlyList<FleetEvent>> QueryAsync(TimelineQuery query, CancellationToken cancellationToken);
}

/// <summary>Filters for a timeline; null means any.</summary>
public sealed record TimelineQuery
{
    public string? Service { get; init; }
    public string? Node { get; init; }
    /// <summary>A container's full id or id prefix.</summary>
    public string? ContainerId { get; init; }
    public IReadOnlyCollection<FleetEventKind>? Kinds { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public int Limit { get; init; } = 200;
}
