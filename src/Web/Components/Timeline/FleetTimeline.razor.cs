using ControlPanel.Core.Fleet;
using ControlPanel.Core.Timeline;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Timeline;

public sealed partial class FleetTimeline : IAsyncDisposable
{
    private const int Shown = 200;

    [Inject] private ITimeline Timeline { get; set; } = default!;
    [Inject] private FleetEvents Events { get; set; } = default!;
    [Inject] private ILogger<FleetTimeline> Logger { get; set; } = default!;

    /// <summary>The service whose timeline this is; or set <see cref="Node"/> (a node's timeline) and <see cref="ContainerId"/> (one container's).</summary>
    [Parameter] public string? Service { get; set; }
    [Parameter] public string? Node { get; set; }
    [Parameter] public string? ContainerId { get; set; }

    private readonly CancellationTokenSource _closed = new();
    private readonly HashSet<string> _shown = TimelineKindGroups.All.Select(g => g.Name).ToHashSet();
    private List<FleetEvent> _entries = [];
    private bool _loaded;
    private string? _error;
    private Task? _following;
    private RenderThrottle? _render;
    private TimelineQuery? _query;

    protected override async Task OnParametersSetAsync()
    {
        var query = new TimelineQuery { Service = Service, Node = Service is null ? Node : null, ContainerId = Service is null ? ContainerId : null, Limit = Shown };
        if (query == _query) return;
        _query = query;
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Live only once interactive: a prerendered page has no circuit to push to.
        if (!firstRender) return;
        _render = new RenderThrottle(() => InvokeAsync(StateHasChanged), TimeSpan.FromMilliseconds(100));
        _following = FollowAsync(_closed.Token);
    }

    private async Task LoadAsync()
    {
        try
        {
            var kinds = TimelineKindGroups.All.Where(g => _shown.Contains(g.Name)).SelectMany(g => g.Kinds).ToList();
            _entries = kinds.Count == 0 ? [] : [.. await Timeline.QueryAsync(_query! with { Kinds = kinds }, _closed.Token)];
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read the timeline");
            _error = $"Could not read the timeline: {ex.GetBaseException().Message}";
        }
        _loaded = true;
    }

    private async Task ToggleAsync(string group)
    {
        if (!_shown.Remove(group)) _shown.Add(group);
        await LoadAsync();
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var entry in Events.SubscribeAsync(cancellationToken))
            {
                await InvokeAsync(() => Apply(entry));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "The timeline stopped following new entries");
        }
    }

    // On the renderer's thread: the list is only ever changed there. A folded entry that grew replaces its older self;
    // entries it absorbed are dropped by their kind's next read, so a reload of the page shows exactly what is stored.
    private void Apply(FleetEvent entry)
    {
        if (!Matches(entry)) return;
        var at = _entries.FindIndex(e => e.Id == entry.Id);
        if (at >= 0) _entries[at] = entry;
        else
        {
            if (entry.Kind is FleetEventKind.CrashLoop or FleetEventKind.HealthFlap)
                _entries.RemoveAll(e => e.ContainerId == entry.ContainerId && e.Node == entry.Node && e.At >= entry.At && Absorbs(entry.Kind, e.Kind));
            _entries.Insert(0, entry);
            _entries = [.. _entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(Shown)];
        }
        _render?.Request();
    }

    private static bool Absorbs(FleetEventKind folded, FleetEventKind single) => folded == FleetEventKind.CrashLoop
        ? single is FleetEventKind.ContainerRestarted or FleetEventKind.ContainerDied
        : single == FleetEventKind.HealthChanged;

    private bool Matches(FleetEvent entry)
    {
        if (!TimelineKindGroups.All.Any(g => _shown.Contains(g.Name) && g.Kinds.Contains(entry.Kind))) return false;
        if (Service is not null) return entry.Service == Service;
        if (entry.Node != Node) return false;
        return ContainerId is not { Length: > 0 } id || entry.ContainerId?.StartsWith(id, StringComparison.Ordinal) == true;
    }

    /// <summary>A service's or a node's timeline spans containers, so each entry names its own.</summary>
    private bool NamesContainers => Service is not null || string.IsNullOrEmpty(ContainerId);

    /// <summary>The logs at the entry's moment; null for an entry about a node itself, which has no log here.</summary>
    private string? LogsLink(FleetEvent e) => e.Node is not null && e.ContainerId is not null
        ? $"/logs?c={new ContainerRef(e.Node, e.ContainerId)}&at={e.At.ToUnixTimeMilliseconds()}"
        : (e.Service ?? Service) is { } service ? $"/logs?service={Uri.EscapeDataString(service)}" : null;

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        if (_following is not null) await _following;
        _render?.Dispose();
        _closed.Dispose();
    }
}
