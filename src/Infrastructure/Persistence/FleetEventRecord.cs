using ControlPanel.Core.Timeline;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Row shape of a timeline entry; mapped to and from Core's FleetEvent in <see cref="EfTimeline"/>.</summary>
public sealed class FleetEventRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public FleetEventKind Kind { get; set; }
    public string Summary { get; set; } = "";
    public string? Node { get; set; }
    public string? ContainerId { get; set; }
    public string? ContainerName { get; set; }
    public string? Service { get; set; }
    public int? ExitCode { get; set; }
    public string? Actor { get; set; }
    public Guid? DeploymentId { get; set; }
    public Guid? BuildId { get; set; }
    public int? Release { get; set; }
    public int Count { get; set; } = 1;
    public DateTimeOffset? LastAt { get; set; }
}
