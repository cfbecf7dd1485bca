using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Releases;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Containers;

public sealed partial class Containers
{
    private readonly CancellationTokenSource _closed = new();
    private readonly HashSet<(string Node, string Id)> _busy = [];
    // Rows ticked for "Open logs of N selected"; kept across filtering, so a selection can span several filters.
    private readonly HashSet<(string Node, string Id)> _selected = [];
    // A screenful (a window up to 1200 px high): rows below it cannot be seen before the circuit draws the rest, and each
    // one costs the first paint its layout and paint. A taller window shows the rest of the table once the circuit is up.
    private const int PrerenderedRows = 25;
    private RenderThrottle? _throttle;
    private bool _canOperate;
    private string? _text;
    private string? _node;
    private ContainerState? _state;
    private string? _label;

    [Inject] private ContainersViewModel Vm { get; set; } = default!;
    [Inject] private ContainerActionService Actions { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ILogger<Containers> Logger { get; set; } = default!;
    [Inject] private Core.Audit.ICurrentActor Actor { get; set; } = default!;
    [Inject] private Core.Releases.ReleaseService Releases { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private Microsoft.JSInterop.IJSRuntime Js { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        // Viewers see no action buttons; ContainerActionService refuses them anyway.
        _canOperate = (await Actor.GetAsync(_closed.Token)).Can(Core.Security.Permission.OperateContainers);
        _ = TickUptimeAsync();
        _throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged), TimeSpan.FromMilliseconds(100));
        Vm.Changed += _throttle.Request;
        Vm.Start();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Nodes the watcher does not know yet are asked after the first render, so the page shows at once.
        if (!firstRender) return;
        try
        {
            await Vm.LoadMissingAsync(_closed.Token);
        }
        catch (OperationCanceledException)
        {
            // The page was closed while nodes were still answering.
        }
    }

    // Uptimes are computed at render time; re-render now and then so they keep counting.
    private async Task TickUptimeAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
        try
        {
            while (await timer.WaitForNextTickAsync(_closed.Token)) _throttle?.Request();
        }
        catch (OperationCanceledException)
        {
            // Page closed.
        }
    }

    private void OnTextChanged(string? value) { _text = value; ApplyFilter(); }
    private void OnNodeChanged(string? value) { _node = value; ApplyFilter(); }
    private void OnStateChanged(ContainerState? value) { _state = value; ApplyFilter(); }
    private void OnLabelChanged(string? value) { _label = value; ApplyFilter(); }

    private void ApplyFilter() => Vm.SetFilter(new ContainerFilter { Text = _text, Node = _node, State = _state, Label = _label });

    private async Task RunAsync(ContainerSummary c, ContainerAction action)
    {
        if (action == ContainerAction.Restart && IsReplica(c))
        {
            await RestartSafelyAsync(c);
            return;
        }
        if (ContainerConfirmations.For(action, c.Name, c.Node) is { } confirm)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(confirm.Title, confirm.Message, yesText: confirm.Yes, cancelText: "Cancel");
            if (confirmed != true) return;
        }
        _busy.Add((c.Node, c.Id));
        try
        {
            var result = await Actions.RunAsync(c.Node, c.Id, new ContainerActionRequest(action, Force: true), _closed.Token);
            if (result.StateAfter is { } after) Vm.Apply(after);
            Snackbar.Add($"{action} {c.Name} on {c.Node}: done in {result.Duration.TotalSeconds:0.0} s", Severity.Success);
        }
        catch (ControlPanelException ex)
        {
            Snackbar.Add($"{action} {c.Name} on {c.Node} failed: {ex.Message}", Severity.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "{Action} of {Node}/{Container} failed", action, c.Node, c.Id);
            Snackbar.Add($"{action} {c.Name} on {c.Node} failed unexpectedly; see the panel's log.", Severity.Error);
        }
        finally
        {
            _busy.Remove((c.Node, c.Id));
        }
    }

    /// <summary>A replica's restart is a one-replica restart deployment (drained first), followed on its deployment page.</summary>
    private async Task RestartSafelyAsync(ContainerSummary c)
    {
        _busy.Add((c.Node, c.Id));
        try
        {
            var restart = await Releases.RestartAsync(c.Labels[ReplicaLabels.Service], c.Id, "Safe restart from the containers page", _closed.Token);
            Navigation.NavigateTo($"/deployments/{restart.Id}");
        }
        catch (ControlPanelException ex)
        {
            Snackbar.Add($"Safe restart of {c.Name} on {c.Node} refused: {ex.Message}", Severity.Error);
        }
        finally
        {
            _busy.Remove((c.Node, c.Id));
        }
    }

    private static bool IsReplica(ContainerSummary c) => c.Labels.ContainsKey(ReplicaLabels.Service);

    /// <summary>Marked rows: unhealthy or restarting anywhere, and a replica that is not running (a replica should be).</summary>
    internal static bool InTrouble(ContainerSummary c) =>
        c.Health == ContainerHealth.Unhealthy || c.State is ContainerState.Restarting or ContainerState.Dead
        || IsReplica(c) && c.State is ContainerState.Exited or ContainerState.Created;

    private void ToggleSelected(ContainerSummary c, ChangeEventArgs e)
    {
        if (e.Value is true) _selected.Add((c.Node, c.Id));
        else _selected.Remove((c.Node, c.Id));
    }

    private bool AllShownSelected => Vm.Visible.Count > 0 && Vm.Visible.All(c => _selected.Contains((c.Node, c.Id)));

    private void ToggleAllShown(ChangeEventArgs e)
    {
        foreach (var c in Vm.Visible)
        {
            if (e.Value is true) _selected.Add((c.Node, c.Id));
            else _selected.Remove((c.Node, c.Id));
        }
    }

    /// <summary>
    /// The logs of the ticked containers that still exist. When they are every replica of one service, the view of that
    /// service instead, which follows its replicas across deployments rather than dying with these containers.
    /// </summary>
    private string SelectedLogsUrl
    {
        get
        {
            var chosen = Vm.Existing(_selected);
            var services = chosen.Select(c => c.Labels.GetValueOrDefault(ReplicaLabels.Service)).Distinct().ToList();
            if (services is [{ } service] && chosen.Count == Vm.ReplicaCount(service))
                return "/logs?service=" + Uri.EscapeDataString(service);
            return "/logs?" + string.Join("&", chosen.Select(c => "c=" + Uri.EscapeDataString(new ContainerRef(c.Node, c.Id).ToString())));
        }
    }

    private Task CopyAsync(string text) => Clipboard.CopyAsync(Js, Snackbar, text, "Image reference");

    private IReadOnlyList<ContainerSummary>? _rowsSplit;
    private List<ContainerSummary> _rowsBelowFirstScreen = [];

    /// <summary>The visible rows after the first screenful, for Virtualize (which wants an ICollection); split again only when they change.</summary>
    private ICollection<ContainerSummary> RowsBelowFirstScreen
    {
        get
        {
            var visible = Vm.Visible;
            if (!ReferenceEquals(visible, _rowsSplit)) (_rowsSplit, _rowsBelowFirstScreen) = (visible, visible.Skip(PrerenderedRows).ToList());
            return _rowsBelowFirstScreen;
        }
    }

    private string SortMark(ContainerSortKey key) => Vm.SortKey != key ? "" : Vm.Descending ? "▼" : "▲";

    private string? AriaSort(ContainerSortKey key) => Vm.SortKey != key ? null : Vm.Descending ? "descending" : "ascending";

    internal static string StateClass(ContainerState state) => "state-" + state.ToString().ToLowerInvariant();

    internal static string HealthClass(ContainerHealth health) => "health-" + health.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>repo:tag@sha256:</c> and the digest's first 12 digits, then "…", without the registry's host (one per fleet,
    /// mostly): enough to tell images apart in a row. The full reference is on hover and copied by the row's button.
    /// </summary>
    internal static string ShortImage(string image)
    {
        var shown = ImageNames.ForDisplay(image) is var cut && cut.Length < image.Length ? cut + "…" : image;
        var slash = shown.IndexOf('/');
        var host = slash > 0 ? shown[..slash] : "";
        return host.Contains('.') || host.Contains(':') || host == "localhost" ? shown[(slash + 1)..] : shown;
    }

    internal static string ShortDigest(string imageId) =>
        imageId.StartsWith("sha256:", StringComparison.Ordinal) && imageId.Length > 19 ? imageId[7..19] : imageId;

    private static string Uptime(ContainerSummary c) =>
        c.Uptime(DateTimeOffset.UtcNow) is { } up ? "up " + Humanize(up) : c.Status;

    internal static string Humanize(TimeSpan t) => t.TotalSeconds switch
    {
        < 60 => $"{t.Seconds}s",
        < 3600 => $"{t.Minutes}m {t.Seconds}s",
        < 86400 => $"{t.Hours}h {t.Minutes}m",
        _ => $"{t.Days}d {t.Hours}h",
    };

    public void Dispose()
    {
        if (_throttle is not null) Vm.Changed -= _throttle.Request;
        _throttle?.Dispose();
        _closed.Cancel();
        _closed.Dispose();
    }
}
