namespace ControlPanel.Infrastructure.Persistence;

/// <summary>One container's averaged readings over one minute (see Core's ResourceRollup).</summary>
public sealed class ResourceRollupRecord
{
    public long Id { get; set; }
    public required string Node { get; set; }
    public required string ContainerId { get; set; }
    public string? Service { get; set; }

    /// <summary>The minute's start in Unix seconds: an integer both providers compare and index alike.</summary>
    public long MinuteUnixSeconds { get; set; }

    public double CpuPercentOfHost { get; set; }
    public double? CpuPercentOfLimit { get; set; }
    public long MemoryBytes { get; set; }
    public long? MemoryLimitBytes { get; set; }
    public double NetworkRxBytesPerSecond { get; set; }
    public double NetworkTxBytesPerSecond { get; set; }
    public double BlockReadBytesPerSecond { get; set; }
    public double BlockWriteBytesPerSecond { get; set; }
    public int Pids { get; set; }
}
