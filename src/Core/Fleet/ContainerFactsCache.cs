using System.Collections.Concurrent;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Start time and restart count come only from inspect, which is too slow to call for every row
/// on every list. The fleet watcher keeps them here, refreshed by each container's events.
/// </summary>
public sealed class ContainerFactsCache
{
    private readonly ConcurrentDictionary<(string Node, string Id), ContainerFacts> _facts = new();

    public void Set(string node, string id, ContainerFacts facts) => _facts[(node, id)] = facts;

    public void Remove(string node, string id) => _facts.TryRemove((node, id), out _);

    /// <summary>Drops a node's entries that are not in <paramref name="liveIds"/> (after a resync).</summary>
    public void Retain(string node, IReadOnlySet<string> liveIds)
    {
        foreach (var key in _facts.Keys)
        {
            if (key.Node == node && !liveIds.Contains(key.Id)) _facts.TryRemove(key, out _);
        }
    }

    public ContainerSummary Enrich(ContainerSummary c) =>
        _facts.TryGetValue((c.Node, c.Id), out var f) ? c with { StartedAt = f.StartedAt, RestartCount = f.RestartCount } : c;
}

public sealed record ContainerFacts(DateTimeOffset? StartedAt, int RestartCount);
