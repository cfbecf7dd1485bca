using System.Collections.Concurrent;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// The fleet as the event streams last described it: each node's containers, kept current by the
/// <see cref="FleetWatcher"/> (a full list on every (re)connect, then one container per event). Pages
/// open from it instantly instead of asking every engine; the API still asks the engines.
/// </summary>
public sealed class FleetState
{
    private readonly ConcurrentDictionary<string, NodeSnapshot> _nodes = new(StringComparer.Ordinal);

    /// <summary>The node's snapshot, or null until the watcher has listed it once.</summary>
    public NodeSnapshot? Find(string node) => _nodes.GetValueOrDefault(node);

    public void Apply(FleetChange change)
    {
        switch (change)
        {
            case NodeResynced r:
                _nodes[r.Node] = new NodeSnapshot(r.Node, r.Containers.ToDictionary(c => c.Id), null);
                break;
            case ContainerChanged c:
                _nodes.AddOrUpdate(c.Node,
                    _ => new NodeSnapshot(c.Node, c.Container is null ? [] : new Dictionary<string, ContainerSummary> { [c.Id] = c.Container }, null),
                    (_, old) => old.With(c.Id, c.Container));
                break;
            case NodeRemoved removed:
                _nodes.TryRemove(removed.Node, out _);
                break;
            case NodeStreamLost l:
                // Rows are kept but marked stale: the last known state beats an empty page at 3 a.m.
                _nodes.AddOrUpdate(l.Node, _ => new NodeSnapshot(l.Node, new Dictionary<string, ContainerSummary>(), l.Reason),
                    (_, old) => old with { StaleBecause = l.Reason });
                break;
        }
    }
}

/// <summary>One node's containers; <see cref="StaleBecause"/> is set while its event stream is down.</summary>
public sealed record NodeSnapshot(string Node, IReadOnlyDictionary<string, ContainerSummary> Containers, string? StaleBecause)
{
    public NodeSnapshot With(string id, ContainerSummary? container)
    {
        var copy = new Dictionary<string, ContainerSummary>(Containers);
        if (container is null) copy.Remove(id);
        else copy[id] = container;
        return this with { Containers = copy };
    }
}
