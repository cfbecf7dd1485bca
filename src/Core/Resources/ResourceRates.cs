namespace ControlPanel.Core.Resources;

/// <summary>Turns two readings of a container's counters into a <see cref="ResourceSample"/>, and sums samples.</summary>
public static class ResourceRates
{
    /// <summary>
    /// The sample over the interval between the readings, or null when there is no usable earlier reading
    /// (the first one, or counters that went backwards because the container restarted).
    /// </summary>
    /// <param name="hostMemoryBytes">The host's memory: a limit at or above it means the container has none.</param>
    public static ResourceSample? Between(ContainerCounters? previous, ContainerCounters current, long? hostMemoryBytes)
    {
        if (previous is null || current.CpuTotalNanos < previous.CpuTotalNanos || current.SystemCpuNanos <= previous.SystemCpuNanos) return null;
        var seconds = (current.At - previous.At).TotalSeconds;
        if (seconds <= 0) return null;
        // The system counter sums every core, so the ratio is already the share of the whole host.
        var shareOfHost = (double)(current.CpuTotalNanos - previous.CpuTotalNanos) / (current.SystemCpuNanos - previous.SystemCpuNanos);
        double? ofLimit = current.CpuLimitCores is > 0 && current.OnlineCpus > 0
            ? 100.0 * shareOfHost * current.OnlineCpus / current.CpuLimitCores.Value
            : null;
        long? memoryLimit = current.MemoryLimitBytes <= 0 || current.MemoryLimitBytes >= (hostMemoryBytes ?? long.MaxValue) || current.MemoryLimitBytes >= long.MaxValue / 2
            ? null
            : current.MemoryLimitBytes;
        return new ResourceSample(
            current.At,
            100.0 * shareOfHost,
            ofLimit,
            current.MemoryBytes,
            memoryLimit,
            Rate(previous.NetworkRxBytes, current.NetworkRxBytes, seconds),
            Rate(previous.NetworkTxBytes, current.NetworkTxBytes, seconds),
            Rate(previous.BlockReadBytes, current.BlockReadBytes, seconds),
            Rate(previous.BlockWriteBytes, current.BlockWriteBytes, seconds),
            current.Pids);
    }

    /// <summary>
    /// The samples added up (a node's or a service's containers): CPU of the host, memory, rates and PIDs are sums;
    /// there is no CPU limit, and the memory limit is the one given (the host's memory for a node), else the sum
    /// of the limits when every container has one.
    /// </summary>
    public static ResourceSample? Sum(IReadOnlyCollection<ResourceSample> samples, long? memoryLimitBytes = null)
    {
        if (samples.Count == 0) return null;
        long? limits = memoryLimitBytes ?? (samples.All(s => s.MemoryLimitBytes is not null) ? samples.Sum(s => s.MemoryLimitBytes!.Value) : null);
        return new ResourceSample(
            samples.Max(s => s.At),
            samples.Sum(s => s.CpuPercentOfHost),
            null,
            samples.Sum(s => s.MemoryBytes),
            limits,
            samples.Sum(s => s.NetworkRxBytesPerSecond),
            samples.Sum(s => s.NetworkTxBytesPerSecond),
            samples.Sum(s => s.BlockReadBytesPerSecond),
            samples.Sum(s => s.BlockWriteBytesPerSecond),
            samples.Sum(s => s.Pids));
    }

    /// <summary>The samples averaged (a minute's rollup of one container); PIDs and memory limit are the last ones.</summary>
    public static ResourceSample Average(IReadOnlyList<ResourceSample> samples, DateTimeOffset at)
    {
        var last = samples[^1];
        var ofLimit = samples.Where(s => s.CpuPercentOfLimit is not null).Select(s => s.CpuPercentOfLimit!.Value).ToList();
        return new ResourceSample(
            at,
            samples.Average(s => s.CpuPercentOfHost),
            ofLimit.Count == 0 ? null : ofLimit.Average(),
            (long)samples.Average(s => (double)s.MemoryBytes),
            last.MemoryLimitBytes,
            samples.Average(s => s.NetworkRxBytesPerSecond),
            samples.Average(s => s.NetworkTxBytesPerSecond),
            samples.Average(s => s.BlockReadBytesPerSecond),
            samples.Average(s => s.BlockWriteBytesPerSecond),
            last.Pids);
    }

    // A counter that went backwards (the interface was recreated) gives no rate rather than a negative one.
    private static double Rate(long before, long after, double seconds) => after >= before ? (after - before) / seconds : 0;
}
