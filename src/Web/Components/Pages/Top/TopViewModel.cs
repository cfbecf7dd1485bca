using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;
using ControlPanel.Core.Timeline;

namespace ControlPanel.Web.Components.Pages.Top;

/// <summary>
/// State of the Top view: every running container the samplers know, re-read after each sampling round, with marks
/// from the last hour of the timeline (asked again every <see cref="TimelineRefresh"/>, not per round). Watching the
/// whole fleet keeps every node at the live rate while the page is open.
/// </summary>
public sealed class TopViewModel(IResourceUsage usage, ITimeline? timeline, FleetState fleet, ILogger logger) : IDisposable
{
    public static readonly TimeSpan TimelineRefresh = TimeSpan.FromSeconds(10);
    private static readonly FleetEventKind[] MarkKinds = [FleetEventKind.OomKilled, FleetEventKind.ContainerRestarted, FleetEventKind.CrashLoop];

    private readonly Lock _gate = new();
    private readonly List<IDisposable> _watches = [];
    private IReadOnlyDictionary<string, ContainerIncidents> _incidents = new Dictionary<string, ContainerIncidents>();
    private IReadOnlyList<TopRow>? _rows;
    private IReadOnlyList<string> _nodes = [];

    public event Action? Changed;

    public TopSortKey SortKey { get; private set; } = TopSortKey.Cpu;
    public bool Ascending { get; private set; }
    public bool HasTimeline => timeline is not null;

    /// <summary>Sorted rows; rebuilt only after a reading, a timeline answer or a new sort.</summary>
    public IReadOnlyList<TopRow> Rows
    {
        get
        {
            lock (_gate) return _rows ??= TopSort.Apply(Listed().Select(ToRow), SortKey, Ascending).ToList();
        }
    }

    /// <summary>
    /// The sampled containers, and those restarting: a container in a crash loop is mostly between runs, with no
    /// reading, and is what on-call most needs to find here (its figures read 0 until it runs again).
    /// </summary>
    private IEnumerable<ContainerUsage> Listed()
    {
        var sampled = usage.LatestOfAll();
        var ids = sampled.Select(u => u.Container.Id).ToHashSet(StringComparer.Ordinal);
        var restarting = _nodes.SelectMany(n => fleet.Find(n)?.Containers.Values ?? [])
            .Where(c => c.State == ContainerState.Restarting && !ids.Contains(c.Id))
            .Select(c => new ContainerUsage(c, c.Labels.GetValueOrDefault(Core.Releases.ReplicaLabels.Service),
                new ResourceSample(DateTimeOffset.UtcNow, 0, null, 0, null, 0, 0, 0, 0, 0)));
        return sampled.Concat(restarting);
    }

    /// <summary>Keeps the given nodes sampled live and follows their rounds until disposed.</summary>
    public void Start(IEnumerable<string> nodes)
    {
        _nodes = [.. nodes];
        foreach (var node in _nodes) _watches.Add(usage.Watch(new ResourceScope.Node(node)));
        usage.Sampled += OnSampled;
    }

    public void SortBy(TopSortKey key)
    {
        lock (_gate)
        {
            Ascending = SortKey == key && !Ascending;
            SortKey = key;
            _rows = null;
        }
        Changed?.Invoke();
    }

    /// <summary>Asks the timeline for the last hour's OOM kills and restarts, now and every <see cref="TimelineRefresh"/>.</summary>
    public async Task FollowTimelineAsync(CancellationToken cancellationToken)
    {
        if (timeline is null) return;
        using var timer = new PeriodicTimer(TimelineRefresh);
        do
        {
            try
            {
                var entries = await timeline.QueryAsync(
                    new TimelineQuery { Kinds = MarkKinds, Since = DateTimeOffset.UtcNow.AddHours(-1), Limit = 10_000 }, cancellationToken);
                var incidents = ContainerIncidents.From(entries);
                lock (_gate) { _incidents = incidents; _rows = null; }
                Changed?.Invoke();
            }
            catch (ObjectDisposedException)
            {
                return; // the panel is shutting down under an open page
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reading the timeline for the Top view failed; its marks stay as they were");
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private TopRow ToRow(ContainerUsage u)
    {
        // Health and state as the fleet watcher knows them now: the sampler's copy is as old as its last round.
        var container = fleet.Find(u.Container.Node)?.Containers.GetValueOrDefault(u.Container.Id) ?? u.Container;
        var incidents = _incidents.GetValueOrDefault(u.Container.Id);
        return new TopRow(container, u.Service, u.Latest,
            timeline is null ? null : incidents?.Restarts ?? 0,
            incidents?.OomKilled ?? false, incidents?.CrashLoop ?? false, incidents?.Last);
    }

    private void OnSampled(string node)
    {
        lock (_gate) _rows = null;
        Changed?.Invoke();
    }

    public void Dispose()
    {
        usage.Sampled -= OnSampled;
        foreach (var watch in _watches) watch.Dispose();
        _watches.Clear();
    }

    /// <summary>One container's OOM kills and restarts among the timeline's entries.</summary>
    private sealed record ContainerIncidents(int Restarts, bool OomKilled, bool CrashLoop, DateTimeOffset Last)
    {
        public static IReadOnlyDictionary<string, ContainerIncidents> From(IEnumerable<FleetEvent> entries) =>
            entries.Where(e => e.ContainerId is not null).GroupBy(e => e.ContainerId!).ToDictionary(g => g.Key, g => new ContainerIncidents(
                g.Where(e => e.Kind is FleetEventKind.ContainerRestarted or FleetEventKind.CrashLoop).Sum(e => e.Count),
                g.Any(e => e.Kind == FleetEventKind.OomKilled),
                g.Any(e => e.Kind == FleetEventKind.CrashLoop),
                g.Max(e => e.LastAt ?? e.At)));
    }
}
