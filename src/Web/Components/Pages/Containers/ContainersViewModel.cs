using ControlPanel.Core.Fleet;

namespace ControlPanel.Web.Components.Pages.Containers;

/// <summary>
/// State of the all-containers page: rows from every node, loaded as each node answers and then
/// kept current by fleet changes (the nodes' event streams), so the page never polls.
/// </summary>
public sealed class ContainersViewModel(FleetService fleet, FleetState state, FleetChangeNotifier notifier) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Node, string Id), ContainerSummary> _rows = [];
    private readonly Dictionary<string, NodeLoad> _nodes = [];
    // Rows changed by an event after loading began; a slower list answer must not overwrite them.
    private readonly HashSet<(string Node, string Id)> _changedSinceLoad = [];
    private IDisposable? _subscription;
    private IReadOnlyList<ContainerSummary>? _visible;

    public event Action? Changed;

    public ContainerFilter Filter { get; private set; } = ContainerFilter.All;
    public ContainerSortKey SortKey { get; private set; } = ContainerSortKey.Node;
    public bool Descending { get; private set; }

    public IReadOnlyList<NodeDefinition> NodeDefinitions => fleet.Nodes;

    public IReadOnlyDictionary<string, NodeLoad> Nodes
    {
        get { lock (_gate) return new Dictionary<string, NodeLoad>(_nodes); }
    }

    public int Total
    {
        get { lock (_gate) return _rows.Count; }
    }

    /// <summary>The rows among <paramref name="keys"/> that still exist (a ticked container may have gone since).</summary>
    public IReadOnlyList<ContainerSummary> Existing(IEnumerable<(string Node, string Id)> keys)
    {
        lock (_gate) return keys.Select(k => _rows.GetValueOrDefault(k)).OfType<ContainerSummary>().ToList();
    }

    /// <summary>How many containers on all nodes carry the replica label of <paramref name="service"/>, filtered out or not.</summary>
    public int ReplicaCount(string service)
    {
        lock (_gate) return _rows.Values.Count(c => c.Labels.GetValueOrDefault(Core.Releases.ReplicaLabels.Service) == service);
    }

    /// <summary>Filtered and sorted rows; recomputed only after a change.</summary>
    public IReadOnlyList<ContainerSummary> Visible
    {
        get
        {
            lock (_gate)
            {
                return _visible ??= ContainerSort.Apply(_rows.Values.Where(Filter.Matches), SortKey, Descending).ToList();
            }
        }
    }

    public IReadOnlyDictionary<ContainerState, int> CountsByState
    {
        get { lock (_gate) return _rows.Values.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count()); }
    }

    /// <summary>
    /// Subscribes to changes and fills in, at once, every node the fleet watcher already follows.
    /// Synchronous so the very first render (and the prerendered HTML) already holds those rows.
    /// </summary>
    public void Start()
    {
        // Subscribe before reading the state so no change between the two is missed.
        _subscription ??= notifier.Subscribe(OnFleetChangeAsync);
        lock (_gate)
        {
            _changedSinceLoad.Clear();
            foreach (var n in fleet.Nodes)
            {
                if (state.Find(n.Name) is { } snapshot)
                {
                    foreach (var c in snapshot.Containers.Values) _rows[(c.Node, c.Id)] = c;
                    var warning = snapshot.StaleBecause is { } why ? $"Live updates interrupted: {why}. Showing the last known state; reconnecting…" : null;
                    _nodes[n.Name] = new NodeLoad(false, n.IsUsable ? null : n.ConfigurationError, warning);
                }
                else
                {
                    _nodes[n.Name] = new NodeLoad(n.IsUsable, n.IsUsable ? null : n.ConfigurationError, null);
                }
            }
            _visible = null;
        }
    }

    /// <summary>Asks the engines directly for nodes the watcher has not listed yet (just started, or unreachable).</summary>
    public async Task LoadMissingAsync(CancellationToken cancellationToken)
    {
        Start();
        var missing = fleet.Nodes.Where(n => n.IsUsable && state.Find(n.Name) is null).ToList();
        await Task.WhenAll(missing.Select(async node =>
        {
            var answer = await fleet.ListNodeContainersAsync(node, cancellationToken);
            lock (_gate)
            {
                foreach (var key in _rows.Keys.Where(k => k.Node == node.Name && !_changedSinceLoad.Contains(k)).ToList()) _rows.Remove(key);
                foreach (var c in answer.Containers.Where(c => !_changedSinceLoad.Contains((c.Node, c.Id)))) _rows[(c.Node, c.Id)] = c;
                _nodes[node.Name] = new NodeLoad(false, answer.Error, null);
            }
            Notify();
        }));
    }

    public void SetFilter(ContainerFilter filter)
    {
        lock (_gate) { Filter = filter; _visible = null; }
        Changed?.Invoke();
    }

    public void SortBy(ContainerSortKey key)
    {
        lock (_gate)
        {
            Descending = SortKey == key && !Descending;
            SortKey = key;
            _visible = null;
        }
        Changed?.Invoke();
    }

    /// <summary>Applies the state an action returned, so the clicking user sees it even before the event arrives.</summary>
    public void Apply(ContainerSummary row)
    {
        lock (_gate) _rows[(row.Node, row.Id)] = row;
        Notify();
    }

    private Task OnFleetChangeAsync(FleetChange change)
    {
        lock (_gate)
        {
            switch (change)
            {
                case ContainerChanged { Container: null } gone:
                    _rows.Remove((gone.Node, gone.Id));
                    _changedSinceLoad.Add((gone.Node, gone.Id));
                    break;
                case ContainerChanged { Container: { } row }:
                    _rows[(row.Node, row.Id)] = row;
                    _changedSinceLoad.Add((row.Node, row.Id));
                    break;
                case NodeResynced resynced:
                    foreach (var key in _rows.Keys.Where(k => k.Node == resynced.Node).ToList()) _rows.Remove(key);
                    foreach (var c in resynced.Containers) _rows[(c.Node, c.Id)] = c;
                    _nodes[resynced.Node] = new NodeLoad(false, null, null);
                    break;
                case FleetChangesMissed:
                    // This page fell behind and its changes were dropped: the fleet state holds them all.
                    foreach (var n in fleet.Nodes)
                    {
                        if (state.Find(n.Name) is not { } snapshot) continue;
                        foreach (var key in _rows.Keys.Where(k => k.Node == n.Name).ToList()) _rows.Remove(key);
                        foreach (var c in snapshot.Containers.Values) _rows[(c.Node, c.Id)] = c;
                    }
                    break;
                case NodeRemoved removed:
                    foreach (var key in _rows.Keys.Where(k => k.Node == removed.Node).ToList()) _rows.Remove(key);
                    _nodes.Remove(removed.Node);
                    break;
                case NodeStreamLost lost:
                    _nodes[lost.Node] = _nodes.GetValueOrDefault(lost.Node, new NodeLoad(false, null, null)) with { Warning = $"Live updates interrupted: {lost.Reason}. Reconnecting…" };
                    break;
            }
        }
        Notify();
        return Task.CompletedTask;
    }

    private void Notify()
    {
        lock (_gate) _visible = null;
        Changed?.Invoke();
    }

    public void Dispose() => _subscription?.Dispose();
}

/// <summary>How a node's part of the page stands: still loading, failed with a reason, or live with a warning.</summary>
public sealed record NodeLoad(bool Loading, string? Error, string? Warning);
