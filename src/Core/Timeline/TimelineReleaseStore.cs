using System.Collections.Concurrent;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Timeline;

/// <summary>
/// The release store, recording on the timeline what it stores: releases created, deployments and safe restarts
/// started and ended, and each deployment step once it is over. Every deployment, wherever it was started from,
/// goes through here.
/// </summary>
public sealed class TimelineReleaseStore(IReleaseStore inner, PanelTimeline timeline) : IReleaseStore
{
    private readonly ConcurrentDictionary<long, (Guid Deployment, DeploymentStep Step)> _openSteps = new();
    // Steps name their deployment by id only; what the entries need of it is kept while it runs here.
    private readonly ConcurrentDictionary<Guid, Deployment> _running = new();

    public async Task<Release> AddReleaseAsync(Release release, AuditEntry audit, CancellationToken cancellationToken)
    {
        var stored = await inner.AddReleaseAsync(release, audit, cancellationToken);
        await timeline.RecordAsync(new FleetEvent
        {
            At = stored.CreatedAt, Kind = FleetEventKind.ReleaseCreated, Service = stored.Service, Release = stored.Number,
            BuildId = stored.BuildId, Actor = stored.CreatedBy,
            Summary = $"release {stored.Number} created ({stored.Tag})" + (stored.Message is { Length: > 0 } m ? $": {m}" : ""),
        });
        return stored;
    }

    public async Task StartDeploymentAsync(Deployment deployment, AuditEntry audit, CancellationToken cancellationToken)
    {
        await inner.StartDeploymentAsync(deployment, audit, cancellationToken);
        _running[deployment.Id] = deployment;
        var summary = deployment.Kind switch
        {
            DeploymentKind.Restart => $"safe restart of release {deployment.Release} started",
            DeploymentKind.Drain => $"moving off node {deployment.LeavingNode} started",
            _ => $"deployment of release {deployment.Release} started" + (deployment.PreviousRelease is { } p ? $" (from release {p})" : ""),
        };
        await timeline.RecordAsync(Entry(deployment, deployment.Kind == DeploymentKind.Restart ? FleetEventKind.SafeRestart : FleetEventKind.DeploymentStarted,
            summary + (deployment.Message is { Length: > 0 } m ? $": {m}" : ""), deployment.StartedAt));
    }

    public async Task<DeploymentStep> AddStepAsync(Guid deployment, DeploymentStep step, CancellationToken cancellationToken)
    {
        var stored = await inner.AddStepAsync(deployment, step, cancellationToken);
        if (stored.Duration is not null) await RecordStepAsync(deployment, stored);
        else _openSteps[stored.Id] = (deployment, stored);
        return stored;
    }

    public async Task FinishStepAsync(long stepId, TimeSpan duration, bool failed, string? detail, string? containerId, CancellationToken cancellationToken)
    {
        await inner.FinishStepAsync(stepId, duration, failed, detail, containerId, cancellationToken);
        if (_openSteps.TryRemove(stepId, out var open))
            await RecordStepAsync(open.Deployment, open.Step with
            {
                Duration = duration, Failed = failed, Detail = detail ?? open.Step.Detail, ContainerId = containerId ?? open.Step.ContainerId,
            });
    }

    public async Task FinishDeploymentAsync(Guid deployment, DeploymentStatus status, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await inner.FinishDeploymentAsync(deployment, status, reason, at, cancellationToken);
        _running.TryRemove(deployment, out var known);
        if ((known ?? await inner.FindDeploymentAsync(deployment, CancellationToken.None)) is { } ended) await RecordEndAsync(ended with { Status = status, Reason = reason }, at);
    }

    public async Task<IReadOnlyList<Deployment>> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var interrupted = await inner.MarkInterruptedAsync(before, alive, at, cancellationToken);
        foreach (var deployment in interrupted) await RecordEndAsync(deployment with { Status = DeploymentStatus.Interrupted }, at);
        return interrupted;
    }

    private async Task RecordStepAsync(Guid deploymentId, DeploymentStep step)
    {
        var deployment = _running.GetValueOrDefault(deploymentId) ?? await inner.FindDeploymentAsync(deploymentId, CancellationToken.None);
        if (deployment is null) return;
        _running[deploymentId] = deployment;
        var what = $"{step.Action.Name()} on {step.Node}" + (step.Slot is { } slot ? $" (slot {slot})" : "");
        var how = step.Failed ? $"failed: {step.Detail}" : $"done in {step.Duration?.TotalSeconds:0.0} s" + (step.Detail is { Length: > 0 } d ? $"; {d}" : "");
        await timeline.RecordAsync(Entry(deployment, FleetEventKind.DeploymentStep, $"{what} {how}", step.At) with
        {
            Node = step.Node, ContainerId = step.ContainerId, ContainerName = step.ContainerName,
        });
    }

    private async Task RecordEndAsync(Deployment deployment, DateTimeOffset at)
    {
        var what = deployment.Kind switch
        {
            DeploymentKind.Restart => "safe restart",
            DeploymentKind.Drain => $"move off node {deployment.LeavingNode}",
            _ => $"deployment of release {deployment.Release}",
        };
        var (kind, outcome) = deployment.Status switch
        {
            DeploymentStatus.Succeeded or DeploymentStatus.NoOp when deployment.Kind == DeploymentKind.Restart => (FleetEventKind.SafeRestart, "succeeded"),
            DeploymentStatus.Succeeded => (FleetEventKind.DeploymentSucceeded, "succeeded"),
            DeploymentStatus.NoOp => (FleetEventKind.DeploymentSucceeded, "had nothing to change"),
            DeploymentStatus.RolledBack => (FleetEventKind.DeploymentRolledBack, $"rolled back to release {deployment.PreviousRelease}"),
            DeploymentStatus.Cancelled => (FleetEventKind.DeploymentFailed, "was cancelled"),
            DeploymentStatus.Paused => (FleetEventKind.DeploymentFailed, "failed and paused"),
            DeploymentStatus.Interrupted => (FleetEventKind.DeploymentFailed, "was interrupted: its panel stopped"),
            _ => (FleetEventKind.DeploymentFailed, "failed"),
        };
        await timeline.RecordAsync(Entry(deployment, kind, $"{what} {outcome}" + (deployment.Reason is { Length: > 0 } r ? $": {r}" : ""), at));
    }

    private static FleetEvent Entry(Deployment deployment, FleetEventKind kind, string summary, DateTimeOffset at) => new()
    {
        At = at, Kind = kind, Summary = summary, Service = deployment.Service, Release = deployment.Release,
        DeploymentId = deployment.Id, Actor = deployment.StartedBy,
    };

    public Task<Release?> FindReleaseAsync(string service, int number, CancellationToken cancellationToken) => inner.FindReleaseAsync(service, number, cancellationToken);
    public Task<IReadOnlyList<Release>> ListReleasesAsync(string service, CancellationToken cancellationToken) => inner.ListReleasesAsync(service, cancellationToken);
    public Task<IReadOnlyList<Release>> FindReleasesByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken cancellationToken) => inner.FindReleasesByDigestsAsync(digests, cancellationToken);
    public Task<Deployment?> FindDeploymentAsync(Guid id, CancellationToken cancellationToken) => inner.FindDeploymentAsync(id, cancellationToken);
    public Task<IReadOnlyList<Deployment>> ListDeploymentsAsync(string? service, int limit, CancellationToken cancellationToken) => inner.ListDeploymentsAsync(service, limit, cancellationToken);
    public Task<IReadOnlyList<Deployment>> ListRunningDeploymentsAsync(CancellationToken cancellationToken) => inner.ListRunningDeploymentsAsync(cancellationToken);
    public Task TouchDeploymentAsync(Guid deployment, DateTimeOffset at, CancellationToken cancellationToken) => inner.TouchDeploymentAsync(deployment, at, cancellationToken);
    public Task<int?> CurrentReleaseAsync(string service, CancellationToken cancellationToken) => inner.CurrentReleaseAsync(service, cancellationToken);
}
