using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Resources;

/// <summary>One reading of a container's counters from its engine (no stream held open).</summary>
public interface IContainerStatsReader
{
    /// <summary>
    /// Reads the container's counters once. Throws ContainerNotFoundException when the container is gone and
    /// EngineUnavailableException when the engine does not answer.
    /// </summary>
    Task<ContainerCounters> ReadOnceAsync(NodeDefinition node, string containerId, CancellationToken cancellationToken);
}

/// <summary>
/// A container's raw counters as its engine reports them; rates need two of them (<see cref="ResourceRates"/>).
/// </summary>
/// <param name="CpuTotalNanos">CPU time the container used since it started, all cores together.</param>
/// <param name="SystemCpuNanos">CPU time the host spent since boot, all cores together.</param>
/// <param name="CpuLimitCores">The container's CPU limit in cores (NanoCpus or quota / period); null when unlimited.</param>
/// <param name="MemoryBytes">Memory in use, without the inactive page cache (as <c>docker stats</c> shows it).</param>
/// <param name="MemoryLimitBytes">The cgroup's limit; the host's memory (or more) when the container has none.</param>
public sealed record ContainerCounters(
    DateTimeOffset At,
    ulong CpuTotalNanos,
    ulong SystemCpuNanos,
    int OnlineCpus,
    double? CpuLimitCores,
    long MemoryBytes,
    long MemoryLimitBytes,
    long NetworkRxBytes,
    long NetworkTxBytes,
    long BlockReadBytes,
    long BlockWriteBytes,
    int Pids);
