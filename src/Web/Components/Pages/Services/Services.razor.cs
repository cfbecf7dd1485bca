using ControlPanel.Core.Builds;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Services;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>
/// Every service with its last build and the deployment in flight. Live without polling: a service saved, a build or
/// a deployment started or ended on this instance re-reads just that part.
/// </summary>
public sealed partial class Services : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private IReadOnlyList<ServiceRevision>? _services;
    private Dictionary<string, Build> _lastBuilds = [];
    private Dictionary<string, Deployment> _inFlight = [];
    // The release each service's last successful deployment applied: what its replicas should run.
    private Dictionary<string, int> _currentReleases = [];
    private IDisposable? _fleetSubscription;
    private RenderThrottle? _fleetRefresh;
    private string? _refreshFailed;
    private ServiceChanges.Subscription? _subscription;
    private Task _following = Task.CompletedTask;

    /// <summary>Set by the service page after a deletion, to say what it did.</summary>
    [SupplyParameterFromQuery] public string? Deleted { get; set; }
    [SupplyParameterFromQuery] public int Stopped { get; set; }
    [SupplyParameterFromQuery] public int Remaining { get; set; }

    [Inject] private ServiceCatalog Catalog { get; set; } = default!;
    [Inject] private BuildService Builds { get; set; } = default!;
    [Inject] private ReleaseService Releases { get; set; } = default!;
    [Inject] private ServiceChanges Changes { get; set; } = default!;
    [Inject] private ILogger<Services> Logger { get; set; } = default!;
    [Inject] private FleetService Fleet { get; set; } = default!;
    [Inject] private FleetState FleetState { get; set; } = default!;
    [Inject] private FleetChangeNotifier FleetChanges { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _subscription = Changes.Subscribe(); // before the reads, so a change made meanwhile is not missed
        _services = await Catalog.ListAsync(_closed.Token);
        _lastBuilds = await LastBuildsAsync(_closed.Token);
        _inFlight = await InFlightAsync(_closed.Token);
        _currentReleases = await CurrentReleasesAsync(_closed.Token);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && _subscription is { } subscription) _following = FollowAsync(subscription, _closed.Token);
        if (firstRender)
        {
            // Replica health is read from the fleet state at render time; a change to any container re-renders, at most once a second.
            _fleetRefresh = new RenderThrottle(() => InvokeAsync(StateHasChanged), TimeSpan.FromSeconds(1));
            _fleetSubscription = FleetChanges.Subscribe(_ => { _fleetRefresh.Request(); return Task.CompletedTask; });
        }
    }

    private async Task FollowAsync(ServiceChanges.Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.Changes.WaitToReadAsync(cancellationToken))
            {
                var kinds = new HashSet<ServiceChangeKind>();
                while (subscription.Changes.TryRead(out var change)) kinds.Add(change.Kind); // a burst is one re-read
                try
                {
                    if (kinds.Contains(ServiceChangeKind.Saved)) _services = await Catalog.ListAsync(cancellationToken);
                    if (kinds.Contains(ServiceChangeKind.BuildStarted) || kinds.Contains(ServiceChangeKind.BuildEnded)) _lastBuilds = await LastBuildsAsync(cancellationToken);
                    if (kinds.Contains(ServiceChangeKind.DeploymentStarted) || kinds.Contains(ServiceChangeKind.DeploymentEnded)) { _inFlight = await InFlightAsync(cancellationToken); _currentReleases = await CurrentReleasesAsync(cancellationToken); }
                    _refreshFailed = null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Logger.LogWarning(ex, "The services list could not refresh after {Changes}", string.Join(", ", kinds));
                    _refreshFailed = ex is Core.Common.ControlPanelException ? ex.Message.TrimEnd('.') : $"the database did not answer ({ex.Message.TrimEnd('.')})";
                }
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<Dictionary<string, Build>> LastBuildsAsync(CancellationToken cancellationToken) =>
        (await Builds.ListAsync(null, 500, cancellationToken)).GroupBy(b => b.Service).ToDictionary(g => g.Key, g => g.First());

    private async Task<Dictionary<string, Deployment>> InFlightAsync(CancellationToken cancellationToken) =>
        (await Releases.RunningDeploymentsAsync(cancellationToken)).GroupBy(d => d.Service).ToDictionary(g => g.Key, g => g.First());

    private async Task<Dictionary<string, int>> CurrentReleasesAsync(CancellationToken cancellationToken) =>
        (await Releases.DeploymentsAsync(null, 500, cancellationToken))
            .Where(d => d.Status is DeploymentStatus.Succeeded or DeploymentStatus.NoOp)
            .GroupBy(d => d.Service).ToDictionary(g => g.Key, g => g.MaxBy(d => d.FinishedAt)!.Release);

    private ServiceHealth HealthOf(ServiceRevision s)
    {
        var current = _currentReleases.TryGetValue(s.Service, out var release) ? release : (int?)null;
        var rows = new ReplicaTable(Fleet, FleetState).FromState(s.Service, current, s.Runtime);
        return ServiceHealth.Of(rows, s.Runtime, current, Fleet.Nodes);
    }

    public async ValueTask DisposeAsync()
    {
        _fleetSubscription?.Dispose();
        _fleetRefresh?.Dispose();
        _subscription?.Dispose();
        await _closed.CancelAsync();
        await _following;
        _closed.Dispose();
    }
}
