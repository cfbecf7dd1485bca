using System.Globalization;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Resources;
using ControlPanel.Core.Timeline;
using ControlPanel.Web.Components.Resources;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Top;

public sealed partial class Top
{
    // A screenful, prerendered and interactive alike; Virtualize draws the rest (see the containers page).
    private const int PrerenderedRows = 25;
    private readonly CancellationTokenSource _closed = new();
    private readonly HashSet<(string Node, string Id)> _busy = [];
    private TopViewModel? _vm;
    private RenderThrottle? _throttle;
    private IReadOnlyList<TopRow> _rows = [];
    private List<TopRow> _rowsBelowFirstScreen = [];
    private bool _canOperate;
    private string? _unavailable;

    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private FleetService Fleet { get; set; } = default!;
    [Inject] private FleetState FleetState { get; set; } = default!;
    [Inject] private ContainerActionService Actions { get; set; } = default!;
    [Inject] private ReleaseService Releases { get; set; } = default!;
    [Inject] private Core.Audit.ICurrentActor Actor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<Top> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (Services.GetService<IResourceUsage>() is not { } usage)
        {
            _unavailable = "This panel does not collect resource use.";
            return;
        }
        _canOperate = (await Actor.GetAsync(_closed.Token)).Can(Core.Security.Permission.OperateContainers);
        var timeline = Services.GetService<ITimeline>();
        if (timeline is null) _unavailable = "This panel keeps no timeline: restarts and OOM kills are not marked.";
        _vm = new TopViewModel(usage, timeline, FleetState, Logger);
        Take();
        // Prerendering shows the latest readings; only the interactive page keeps the nodes sampled live.
        if (!RendererInfo.IsInteractive) return;
        _throttle = new RenderThrottle(() => InvokeAsync(() => { Take(); StateHasChanged(); }), TimeSpan.FromSeconds(1));
        _vm.Changed += _throttle.Request;
        _vm.Start(Fleet.Nodes.Select(n => n.Name));
        _ = FollowTimelineAsync(_vm);
    }

    private async Task FollowTimelineAsync(TopViewModel vm)
    {
        try
        {
            await vm.FollowTimelineAsync(_closed.Token);
        }
        catch (OperationCanceledException)
        {
            // Page closed.
        }
    }

    /// <summary>Takes the view model's rows once per render batch, split for the plain rows and Virtualize.</summary>
    private void Take()
    {
        if (_vm is null) return;
        _rows = _vm.Rows;
        _rowsBelowFirstScreen = _rows.Skip(PrerenderedRows).ToList();
    }

    private ICollection<TopRow> RowsBelowFirstScreen => _rowsBelowFirstScreen;

    /// <summary>Why the table is empty: nothing runs, or what runs has no reading yet (one needs two of the engine's counters).</summary>
    private string EmptyText()
    {
        var running = Fleet.Nodes.Sum(n => FleetState.Find(n.Name)?.Containers.Values.Count(c => c.State == ContainerState.Running) ?? 0);
        return running switch
        {
            0 => "No container is running on any node.",
            1 => "1 container is running; its first reading comes within a few seconds.",
            _ => $"{running} containers are running; their first readings come within a few seconds.",
        };
    }

    private void SortBy(TopSortKey key)
    {
        _vm?.SortBy(key);
        Take();
    }

    private string SortMark(TopSortKey key) => _vm?.SortKey != key ? "" : _vm.Ascending ? "▲" : "▼";

    private string? AriaSort(TopSortKey key) => _vm?.SortKey != key ? null : _vm.Ascending ? "ascending" : "descending";

    private static string Invariant(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string CpuTitle(TopRow r) =>
        r.Latest.CpuPercentOfLimit is { } ofLimit ? $"{ResourceFormat.Percent(ofLimit)} of its CPU limit" : "of the host's CPUs; no CPU limit";

    /// <summary>
    /// The logs from the moment that matters: the latest OOM kill or restart of the last hour, else five minutes before
    /// the reading, so the lines that led to what the row shows are on screen.
    /// </summary>
    internal static string LogsUrl(TopRow r)
    {
        var at = r.LastIncident ?? r.Latest.At.AddMinutes(-5);
        return $"/logs?c={Uri.EscapeDataString(new ContainerRef(r.Container.Node, r.Container.Id).ToString())}&at={at.ToUnixTimeMilliseconds()}";
    }

    /// <summary>
    /// A replica restarts safely (a one-replica restart deployment, followed on its page); another container restarts in
    /// place. Both ask first: rows move as readings come in, and a restart must not hit the row that slid under the pointer.
    /// </summary>
    private async Task RestartAsync(TopRow r)
    {
        var c = r.Container;
        var replica = c.Labels.TryGetValue(ReplicaLabels.Service, out var service);
        var message = replica
            ? $"Restart {c.Name} on {c.Node} safely? It is taken out of rotation, drained, restarted and sent work again once healthy."
            : $"Restart {c.Name} on {c.Node}? It gets its stop signal, then starts again.";
        if (await Dialogs.ShowMessageBoxAsync("Restart container", message, yesText: replica ? "Restart safely" : "Restart", cancelText: "Cancel") != true) return;
        _busy.Add((c.Node, c.Id));
        try
        {
            if (replica)
            {
                var restart = await Releases.RestartAsync(service!, c.Id, "Safe restart from the Top view", _closed.Token);
                Navigation.NavigateTo($"/deployments/{restart.Id}");
                return;
            }
            var result = await Actions.RunAsync(c.Node, c.Id, new ContainerActionRequest(ContainerAction.Restart, Force: true), _closed.Token);
            Snackbar.Add($"Restart {c.Name} on {c.Node}: done in {result.Duration.TotalSeconds:0.0} s", Severity.Success);
        }
        catch (ControlPanelException ex)
        {
            Snackbar.Add($"Restart of {c.Name} on {c.Node} refused: {ex.Message}", Severity.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Restart of {Node}/{Container} from the Top view failed", c.Node, c.Id);
            Snackbar.Add($"Restart of {c.Name} on {c.Node} failed unexpectedly; see the panel's log.", Severity.Error);
        }
        finally
        {
            _busy.Remove((c.Node, c.Id));
        }
    }

    public void Dispose()
    {
        if (_vm is not null && _throttle is not null) _vm.Changed -= _throttle.Request;
        _vm?.Dispose();
        _throttle?.Dispose();
        _closed.Cancel();
        _closed.Dispose();
    }
}
