namespace ControlPanel.Core.Timeline;

/// <summary>
/// Something that happened to the fleet and is worth keeping after the page is closed: an engine event that
/// matters (a crash, an OOM kill, a health change) or one of the panel's own (a deployment, a build, a click).
/// Stored in the timeline and published on <see cref="FleetEvents"/> for alerts.
/// </summary>
public sealed record FleetEvent
{
    /// <summary>The store's id; 0 until stored.</summary>
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required FleetEventKind Kind { get; init; }
    /// <summary>One line for people, e.g. "exited with code 137" or "deployment of release 4 failed: replica unhealthy".</summary>
    public required string Summary { get; init; }
    public string? Node { get; init; }
    /// <summary>The container's full id, for container events.</summary>
    public string? ContainerId { get; init; }
    public string? ContainerName { get; init; }
    /// <summary>The service the event belongs to (a replica's <c>controlpanel.service</c> label, or the deployment's service).</summary>
    public string? Service { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>Who clicked, for the panel's own events; null for the engine's.</summary>
    public string? Actor { get; init; }
    public Guid? DeploymentId { get; init; }
    public Guid? BuildId { get; init; }
    public int? Release { get; init; }
    /// <summary>
    /// How many occurrences this entry stands for: 1, or more for a folded crash loop or health flap, whose
    /// first occurrence is <see cref="At"/> and last <see cref="LastAt"/>.
    /// </summary>
    public int Count { get; init; } = 1;
    public DateTimeOffset? LastAt { get; init; }
}
