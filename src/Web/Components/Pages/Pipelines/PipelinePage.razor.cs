using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Releases;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Pages.Pipelines;

/// <summary>
/// One pipeline, live, from the first fetch to the last replica: its stages, the build's phases and output tail
/// while it builds, the deployment's steps while it rolls. The pipeline is followed through
/// <see cref="PipelineUpdates"/>; once it names a build or a deployment, that is followed too, through its own stream.
/// </summary>
public sealed partial class PipelinePage : IAsyncDisposable
{
    private const int TailLines = 40;
    private static readonly TimeSpan BuildWindow = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _closed = new();
    private readonly Queue<string> _lines = new();
    private readonly List<Task> _following = [];
    private Pipeline? _pipeline;
    private Build? _build;
    private Deployment? _deployment;
    private Guid? _followedBuild, _followedDeployment;
    private string? _error, _followStopped;

    [Parameter] public Guid Id { get; set; }
    [Inject] private PipelineService Pipelines { get; set; } = default!;
    [Inject] private PipelineUpdates Updates { get; set; } = default!;
    [Inject] private BuildService Builds { get; set; } = default!;
    [Inject] private BuildUpdates BuildUpdates { get; set; } = default!;
    [Inject] private ReleaseService Releases { get; set; } = default!;
    [Inject] private DeploymentUpdates DeploymentUpdates { get; set; } = default!;
    [Inject] private ILogger<PipelinePage> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _pipeline = await Pipelines.GetAsync(Id, _closed.Token); // also the permission check for what follows
            if (_pipeline.BuildId is { } build) _build = await Builds.GetAsync(build, _closed.Token);
            if (_pipeline.DeploymentId is { } deployment) _deployment = await Releases.DeploymentAsync(deployment, _closed.Token);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && _pipeline is { IsFinished: false }) _following.Add(Guard(FollowPipelineAsync(_closed.Token)));
    }

    private async Task FollowPipelineAsync(CancellationToken cancellationToken)
    {
        await foreach (var pipeline in Updates.FollowAsync(Id, cancellationToken))
        {
            _pipeline = pipeline;
            if (pipeline.BuildId is { } build && _followedBuild is null)
            {
                _followedBuild = build;
                _following.Add(Guard(FollowBuildAsync(build, cancellationToken)));
            }
            if (pipeline.DeploymentId is { } deployment && _followedDeployment is null)
            {
                _followedDeployment = deployment;
                _following.Add(Guard(FollowDeploymentAsync(deployment, cancellationToken)));
            }
            await InvokeAsync(StateHasChanged);
        }
    }

    private async Task FollowBuildAsync(Guid id, CancellationToken cancellationToken)
    {
        await foreach (var update in BuildUpdates.FollowAsync(id, BuildWindow, cancellationToken))
        {
            _build = update.Build;
            foreach (var line in update.Lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > TailLines) _lines.Dequeue();
            }
            await InvokeAsync(StateHasChanged);
        }
    }

    private async Task FollowDeploymentAsync(Guid id, CancellationToken cancellationToken)
    {
        await foreach (var deployment in DeploymentUpdates.FollowAsync(id, cancellationToken))
        {
            _deployment = deployment;
            await InvokeAsync(StateHasChanged);
        }
    }

    /// <summary>Nobody awaits these loops while the page is open: unless one says so here, the page just stops moving.</summary>
    private async Task Guard(Task loop)
    {
        try
        {
            await loop;
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Live updates of pipeline {Pipeline} stopped", Id);
            _followStopped = (ex is ControlPanelException ? ex.Message : $"the pipeline could not be read ({ex.Message.TrimEnd('.')})").TrimEnd('.');
            await InvokeAsync(StateHasChanged);
        }
    }

    private async Task CancelAsync()
    {
        try
        {
            await Pipelines.CancelAsync(Id, _closed.Token);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        await Task.WhenAll(_following.ToArray());
        _closed.Dispose();
    }
}
