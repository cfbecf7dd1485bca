using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;

namespace ControlPanel.Web.Components.Pages.Top;

/// <summary>A running container in the Top view: its latest reading and what the last hour's timeline says about it.</summary>
/// <param name="RestartsLastHour">Restarts the timeline stored in the last hour; null when the panel keeps no timeline.</param>
/// <param name="LastIncident">The latest OOM kill or restart in the last hour, where its logs are worth reading from.</param>
public sealed record TopRow(
    ContainerSummary Container,
    string? Service,
    ResourceSample Latest,
    int? RestartsLastHour,
    bool OomKilledLastHour,
    bool CrashLoop,
    DateTimeOffset? LastIncident)
{
    /// <summary>Restarts in an hour from which a container counts as restarting in a loop, when the timeline folded none.</summary>
    public const int LoopRestarts = 3;

    public bool NearMemoryLimit => Latest.MemoryPercentOfLimit >= 90;

    public bool RestartingInLoop => CrashLoop || RestartsLastHour >= LoopRestarts || Container.State == ContainerState.Restarting;

    public bool Unhealthy => Container.Health == ContainerHealth.Unhealthy;

    public double NetworkBytesPerSecond => Latest.NetworkRxBytesPerSecond + Latest.NetworkTxBytesPerSecond;

    public bool IsMarked => NearMemoryLimit || RestartingInLoop || Unhealthy || OomKilledLastHour;
}

public enum TopSortKey
{
    Cpu,
    MemoryPercent,
    MemoryUsed,
    Restarts,
    Network,
}

public static class TopSort
{
    /// <summary>
    /// Largest first by default. Memory % puts containers without a limit last (they cannot be near one), by memory used.
    /// Ties go by node and name so rows keep their places between readings.
    /// </summary>
    public static IEnumerable<TopRow> Apply(IEnumerable<TopRow> rows, TopSortKey key, bool ascending)
    {
        var ordered = key switch
        {
            TopSortKey.MemoryPercent => Order(rows, r => r.Latest.MemoryPercentOfLimit ?? -1, ascending).ThenBy(r => ascending ? r.Latest.MemoryBytes : -r.Latest.MemoryBytes),
            TopSortKey.MemoryUsed => Order(rows, r => r.Latest.MemoryBytes, ascending),
            TopSortKey.Restarts => Order(rows, r => r.RestartsLastHour ?? 0, ascending),
            TopSortKey.Network => Order(rows, r => r.NetworkBytesPerSecond, ascending),
            _ => Order(rows, r => r.Latest.CpuPercentOfHost, ascending),
        };
        return ordered.ThenBy(r => r.Container.Node, StringComparer.Ordinal).ThenBy(r => r.Container.Name, StringComparer.Ordinal);
    }

    private static IOrderedEnumerable<TopRow> Order<T>(IEnumerable<TopRow> rows, Func<TopRow, T> by, bool ascending) =>
        ascending ? rows.OrderBy(by) : rows.OrderByDescending(by);
}
