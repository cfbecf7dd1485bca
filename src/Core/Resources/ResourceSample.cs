namespace ControlPanel.Core.Resources;

/// <summary>
/// One reading of resource use: of a container, or summed over the containers of a node or a service.
/// Rates are per second over the interval since the reading before; byte counts are as the engine reports them.
/// </summary>
/// <param name="CpuPercentOfHost">CPU use as a share of the whole host, all cores together: 100 is every core busy.</param>
/// <param name="CpuPercentOfLimit">CPU use as a share of the container's CPU limit; null when it has none (or for sums).</param>
/// <param name="MemoryLimitBytes">The memory limit; null when unlimited (for a node: the host's memory).</param>
public sealed record ResourceSample(
    DateTimeOffset At,
    double CpuPercentOfHost,
    double? CpuPercentOfLimit,
    long MemoryBytes,
    long? MemoryLimitBytes,
    double NetworkRxBytesPerSecond,
    double NetworkTxBytesPerSecond,
    double BlockReadBytesPerSecond,
    double BlockWriteBytesPerSecond,
    int Pids)
{
    /// <summary>Memory used as a share of the limit, or null when there is no limit.</summary>
    public double? MemoryPercentOfLimit => MemoryLimitBytes is > 0 ? 100.0 * MemoryBytes / MemoryLimitBytes.Value : null;
}
