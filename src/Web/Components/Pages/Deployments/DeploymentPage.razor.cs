using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Pages.Deployments;

/// <summary>
/// One deployment, live: progress, a lane per node with each replica's steps, and the event log. Everything so
/// far is read first (so a late viewer sees it all), then the page follows <see cref="DeploymentUpdates"/> until it
/// ends; if following fails, the page says so instead of going quietly stale.
/// </summary>
public sealed partial class DeploymentPage : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private Deployment? _deployment;
    private Release? _release;
    /// <summary>Whether this is the service's newest deployment: only then is its release what (some) replicas run.</summary>
    private bool _isNewest;
    private string? _buildSha;
    private int _replicas;
    private string? _error;
    private string? _followStopped;
    private Task _following = Task.CompletedTask;

    [Parameter] public Guid Id { get; set; }
    [Inject] private ReleaseService Releases { get; set; } = default!;
    [Inject] private Core.Fleet.FleetService Fleet { get; set; } = default!;
    [Inject] private DeploymentUpdates Updates { get; set; } = default!;
    [Inject] private ILogger<DeploymentPage> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _deployment = await Releases.DeploymentAsync(Id, _closed.Token); // also the permission check for what follows
            var release = _release = (await Releases.ReleasesAsync(_deployment.Service, _closed.Token)).FirstOrDefault(r => r.Number == _deployment.Release);
            _replicas = release is null ? 0 : release.Spec.ReplicasPerNode * RuntimeValidation.Place(release.Spec, Fleet.Nodes).Count;
            _buildSha = release?.BuildId is null ? null : release.Tag; // a release from a build is tagged with the build's short commit
            _isNewest = (await Releases.DeploymentsAsync(_deployment.Service, 1, _closed.Token)).FirstOrDefault()?.Id == _deployment.Id;
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && _deployment is { IsFinished: false }) _following = FollowAsync(_closed.Token);
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var deployment in Updates.FollowAsync(Id, cancellationToken))
            {
                _deployment = deployment;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Nobody awaits this loop while the page is open: unless it says so here, the page just stops moving.
            Logger.LogError(ex, "Live updates of deployment {Deployment} stopped", Id);
            _followStopped = (ex is ControlPanelException ? ex.Message : $"the deployment could not be read ({ex.Message.TrimEnd('.')})").TrimEnd('.');
            await InvokeAsync(StateHasChanged);
        }
    }

    /// <summary>Replicas that are healthy on the new release (or everything, once it ended).</summary>
    private double Progress => _deployment is not { } d ? 0
        : d.IsFinished ? 100
        : _replicas == 0 ? 0
        : Math.Min(100, 100.0 * d.Steps.Count(s => s.Action == DeploymentStepAction.Healthy && s.Duration is not null && !s.Failed) / _replicas);

    private async Task CancelAsync()
    {
        try
        {
            await Releases.CancelAsync(Id, _closed.Token);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
    }

    /// <summary>
    /// The service's newest deployment, a release that ended broken (not rolled back by itself), offers to go back to
    /// the release that ran before it, which ran healthy by definition. An older one offers nothing: releases deployed
    /// since then run now, and going back from its page would undo them.
    /// </summary>
    private int? RollbackTarget(Deployment d) =>
        _isNewest && d.Kind == DeploymentKind.Release && d.Status is DeploymentStatus.Failed or DeploymentStatus.Paused or DeploymentStatus.Interrupted or DeploymentStatus.Cancelled
            ? d.PreviousRelease : null;

    private static MudBlazor.Color StepColor(DeploymentStep step) =>
        step.Failed ? MudBlazor.Color.Error : step.Duration is null ? MudBlazor.Color.Info : MudBlazor.Color.Success;

    private static string StepTime(DeploymentStep step) => step.Duration is { } d ? $"{d.TotalSeconds:0.0} s" : "…";

    /// <summary>The image the step pulled or ran, its digest cut to 12 digits as docker shows ids (the full reference is in the cell's title).</summary>
    private static string? Subject(DeploymentStep step) => step.Image is null ? null : Core.Registries.ImageNames.ForDisplay(step.Image);

    /// <summary>The container the step made or acted on, by the name its create step gave it where this deployment made it.</summary>
    private string ContainerLabel(DeploymentStep step) =>
        step.ContainerName
        ?? _deployment?.Steps.FirstOrDefault(s => s.ContainerId == step.ContainerId && s.ContainerName is not null)?.ContainerName
        ?? step.ContainerId![..Math.Min(12, step.ContainerId!.Length)];

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        await _following;
        _closed.Dispose();
    }
}
