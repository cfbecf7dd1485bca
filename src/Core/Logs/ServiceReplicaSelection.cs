using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Logs;

/// <summary>
/// Which containers a service's log view follows: every container carrying the service's replica label on any node,
/// as the fleet state last described it, once it has been started (a replica only created has nothing to say yet,
/// and one that exited still has its last lines). Pure, so the rule is tested without engines.
/// </summary>
public static class ServiceReplicaSelection
{
    public static IReadOnlyList<ContainerSummary> Wanted(IEnumerable<NodeSnapshot?> nodes, string service) =>
        nodes.OfType<NodeSnapshot>()
            .SelectMany(n => n.Containers.Values)
            .Where(c => c.Labels.GetValueOrDefault(ReplicaLabels.Service) == service && c.State is not (ContainerState.Created or ContainerState.Removing))
            .OrderBy(c => c.Node, StringComparer.Ordinal)
            .ThenBy(c => int.TryParse(c.Labels.GetValueOrDefault(ReplicaLabels.Slot), out var slot) ? slot : int.MaxValue)
            .ThenBy(c => c.Created)
            .ToList();

    /// <summary>
    /// What to start and stop following: wanted containers not followed yet, and followed ones that are gone. A node
    /// whose snapshot is stale (its event stream is down) keeps its sources: the containers may well still run.
    /// </summary>
    public static (IReadOnlyList<ContainerSummary> Add, IReadOnlyList<(string Node, string Id)> Drop) Diff(
        IReadOnlyList<ContainerSummary> wanted, IEnumerable<(string Node, string Id)> followed, Func<string, bool> nodeStale)
    {
        var following = followed.ToHashSet();
        var wantedKeys = wanted.Select(c => (c.Node, c.Id)).ToHashSet();
        return (wanted.Where(c => !following.Contains((c.Node, c.Id))).ToList(),
            following.Where(f => !wantedKeys.Contains(f) && !nodeStale(f.Node)).ToList());
    }
}
