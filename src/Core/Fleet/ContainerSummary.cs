namespace ControlPanel.Core.Fleet;

/// <summary>One row of the all-containers view, as the engine's container list reports it.</summary>
public sealed record ContainerSummary
{
    public required string Node { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string ImageId { get; init; }
    public required ContainerState State { get; init; }
    /// <summary>The engine's own status text, e.g. "Up 3 minutes (healthy)".</summary>
    public required string Status { get; init; }
    public required ContainerHealth Health { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required IReadOnlyList<string> Ports { get; init; }
    /// <summary>From inspect, filled in by the fleet watcher when known; null until then.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    public int? RestartCount { get; init; }

    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    public TimeSpan? Uptime(DateTimeOffset now) =>
        State == ContainerState.Running && StartedAt is { } started ? now - started : null;
}

public enum ContainerState
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
    Unknown,
}

public enum ContainerHealth
{
    None,
    Starting,
    Healthy,
    Unhealthy,
}
