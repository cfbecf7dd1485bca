using System.Text.RegularExpressions;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Pipelines;

/// <summary>
/// Runs a pipeline's stages with the panel's own build and release services, as the actor who triggered it: the build
/// (followed through its live feed), a release of its image by digest, and the deployment (followed to its end).
/// Every change is stored before the pipeline goes on, so the record is the truth; the first failure stops it.
/// </summary>
public sealed partial class PipelineRunner(IServiceScopeFactory scopes, IServiceStore services, IBuildStore builds, FleetService fleet, BuildRunner buildRunner,
    BuildUpdates buildUpdates, DeploymentRunner deploymentRunner, DeploymentUpdates deploymentUpdates, IPipelineStore store, PipelineChanges changes,
    TimeProvider time, ILogger<PipelineRunner> logger) : IPipelineStages
{
    /// <summary>How often a running build's progress is read: its end is seen at most this late.</summary>
    private static readonly TimeSpan BuildWindow = TimeSpan.FromMilliseconds(50);

    private enum Outcome { Succeeded, Failed, Cancelled }

    private sealed record StageEnd(Outcome Outcome, string? Message);

    /// <summary>One pipeline's record as this run last stored it.</summary>
    private sealed class Run(IPipelineStore store, PipelineChanges changes, Pipeline pipeline)
    {
        public Pipeline Current { get; private set; } = pipeline;

        public async Task SaveAsync(Func<Pipeline, Pipeline> change)
        {
            var next = change(Current);
            await store.UpdateAsync(next, CancellationToken.None); // stored whole even when cancelled mid-way
            Current = next;
            changes.Changed(next);
        }
    }

    public async Task<string> CheckAsync(PipelineRequest request, Actor who, CancellationToken cancellationToken)
    {
        var service = await services.FindAsync(request.Service, null, cancellationToken) ?? throw new ServiceNotFoundException(request.Service);
        if (!service.Build.BuildsFromSource)
            throw new InvalidRequestException("service", $"Service '{service.Service}' has no repository URL: its images are built elsewhere, so the panel cannot build it. Release it by tag instead.");
        if (request.Deploy && service.Runtime is null)
            throw new InvalidRequestException("deploy", $"Service '{service.Service}' has no runtime spec yet (replicas, placement…): define it first, or build only (deploy=false).");
        if (request.Commit is { } commit && !CommitSha().IsMatch(commit))
            throw new InvalidRequestException("commit", $"'commit' must be a commit SHA (7 to 64 lowercase hex digits); got '{commit}'.");
        if (request.Node is { } node && !fleet.Nodes.Any(n => n.Name == node))
            throw new InvalidRequestException("node", $"'node' must name a node of the fleet; there is no node '{node}'.");
        return string.IsNullOrWhiteSpace(request.Revision) ? service.Build.Branch : GitNames.RequireRevision(request.Revision.Trim(), "revision");
    }

    public async Task RunAsync(Pipeline pipeline, Actor who, string? node, CancellationToken cancel, CancellationToken stopping)
    {
        using var scope = scopes.CreateScope();
        var buildService = scope.ServiceProvider.GetRequiredService<BuildService>();
        var releases = scope.ServiceProvider.GetRequiredService<ReleaseService>();
        var run = new Run(store, changes, pipeline);
        if (await StageAsync(run, PipelineStageKind.Build, () => BuildAsync(run, buildService, who, node, cancel, stopping), cancel, stopping)
            && run.Current.Deploy
            && await StageAsync(run, PipelineStageKind.Release, () => ReleaseAsync(run, releases, who, stopping), cancel, stopping))
            await StageAsync(run, PipelineStageKind.Deploy, () => DeployAsync(run, releases, who, cancel, stopping), cancel, stopping);
        if (!run.Current.IsFinished) await run.SaveAsync(p => p.Succeed(time.GetUtcNow()));
        logger.LogInformation("Pipeline {Pipeline} of {Service} ended {Status}", pipeline.Id, pipeline.Service, run.Current.Status);
    }

    /// <summary>Stores the stage started, runs it and stores how it ended; true when the pipeline goes on.</summary>
    private async Task<bool> StageAsync(Run run, PipelineStageKind kind, Func<Task<StageEnd>> body, CancellationToken cancel, CancellationToken stopping)
    {
        stopping.ThrowIfCancellationRequested();
        if (cancel.IsCancellationRequested)
        {
            await run.SaveAsync(p => p.Cancel(time.GetUtcNow(), $"Cancelled before the {Name(kind)} stage."));
            return false;
        }
        await run.SaveAsync(p => p.StartStage(kind, time.GetUtcNow()));
        StageEnd end;
        try
        {
            end = await body();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (ex is not ControlPanelException) logger.LogWarning(ex, "The {Stage} stage of pipeline {Pipeline} failed", kind, run.Current.Id);
            end = new StageEnd(Outcome.Failed, $"{Name(kind)} failed: {ex.Message}");
        }
        var now = time.GetUtcNow();
        await run.SaveAsync(p => end.Outcome switch
        {
            Outcome.Succeeded => p.SucceedStage(kind, now, end.Message),
            Outcome.Cancelled => p.Cancel(now, end.Message ?? "Cancelled."),
            _ => p.Fail(kind, now, end.Message ?? $"{Name(kind)} failed"),
        });
        return end.Outcome == Outcome.Succeeded;
    }

    private async Task<StageEnd> BuildAsync(Run run, BuildService buildService, Actor who, string? node, CancellationToken cancel, CancellationToken stopping)
    {
        var p = run.Current;
        node ??= await BuilderNodeAsync(p.Service, stopping);
        // A push names the exact commit: build that, not whatever the branch points at by now.
        var build = await buildService.StartAsync(new BuildRequest(p.Service, p.Commit ?? p.Revision, node), who, stopping);
        await run.SaveAsync(x => x with { BuildId = build.Id });
        using (cancel.Register(() => buildRunner.Cancel(build.Id)))
        {
            await foreach (var update in buildUpdates.FollowAsync(build.Id, BuildWindow, stopping))
            {
                build = update.Build;
                if (build.CommitSha is { } sha && run.Current.Commit != sha) await run.SaveAsync(x => x with { Commit = sha });
            }
        }
        if (!build.IsFinished) build = await builds.FindAsync(build.Id, stopping) ?? build;
        return build.Status switch
        {
            BuildStatus.Succeeded => new StageEnd(Outcome.Succeeded, $"built {build.ShortSha} on {build.Node}"),
            BuildStatus.Reused => new StageEnd(Outcome.Succeeded, $"{build.ShortSha} was built before: its image is reused"),
            BuildStatus.Cancelled when cancel.IsCancellationRequested => new StageEnd(Outcome.Cancelled, "Cancelled while building."),
            BuildStatus.Running => new StageEnd(Outcome.Failed, "build failed: it runs on another instance of the panel"),
            _ => new StageEnd(Outcome.Failed, $"build {(build.Status == BuildStatus.Failed ? "failed" : build.Status.ToString().ToLowerInvariant())}"
                + (build.FailedPhase is { } phase ? $" in phase {phase.ToString().ToLowerInvariant()}" : "") + (build.Error is { Length: > 0 } e ? $": {e}" : "")),
        };
    }

    private async Task<StageEnd> ReleaseAsync(Run run, ReleaseService releases, Actor who, CancellationToken stopping)
    {
        var p = run.Current;
        var release = await releases.CreateAsync(p.Service, null, p.BuildId, Describe(p), who, stopping);
        await run.SaveAsync(x => x with { ReleaseNumber = release.Number });
        return new StageEnd(Outcome.Succeeded, $"release {release.Number}: {release.Image}:{release.Tag}");
    }

    private async Task<StageEnd> DeployAsync(Run run, ReleaseService releases, Actor who, CancellationToken cancel, CancellationToken stopping)
    {
        var p = run.Current;
        var number = p.ReleaseNumber ?? throw new InvalidOperationException("The deploy stage runs after a release.");
        var deployment = await releases.DeployAsync(p.Service, number, Describe(p), who, stopping);
        await run.SaveAsync(x => x with { DeploymentId = deployment.Id });
        using (cancel.Register(() => deploymentRunner.Cancel(deployment.Id)))
        {
            await foreach (var update in deploymentUpdates.FollowAsync(deployment.Id, stopping)) deployment = update;
        }
        var reason = deployment.Reason is { Length: > 0 } r ? $": {r}" : "";
        return deployment.Status switch
        {
            DeploymentStatus.Succeeded => new StageEnd(Outcome.Succeeded, $"release {number} runs on every replica"),
            DeploymentStatus.NoOp => new StageEnd(Outcome.Succeeded, $"release {number} already ran everywhere: nothing changed"),
            DeploymentStatus.Cancelled when cancel.IsCancellationRequested => new StageEnd(Outcome.Cancelled, "Cancelled while deploying" + reason),
            DeploymentStatus.RolledBack => new StageEnd(Outcome.Failed, $"deployment rolled back{reason}"),
            _ => new StageEnd(Outcome.Failed, $"deployment {deployment.Status.ToString().ToLowerInvariant()}{reason}"),
        };
    }

    /// <summary>The node the service's newest build ran on, else the first active usable node.</summary>
    private async Task<string> BuilderNodeAsync(string service, CancellationToken cancellationToken)
    {
        var nodes = fleet.Nodes;
        if ((await builds.ListAsync(service, 1, cancellationToken)).FirstOrDefault()?.Node is { } newest && nodes.Any(n => n.Name == newest && n.IsUsable)) return newest;
        return (nodes.FirstOrDefault(n => n.TakesNewReplicas) ?? nodes.FirstOrDefault(n => n.IsUsable))?.Name
            ?? throw new InvalidRequestException("node", "No usable node to build on: every node has a configuration error.");
    }

    private static string Describe(Pipeline p) =>
        $"Pipeline {p.Id.ToString()[..8]}: {p.Revision}{(p.ShortCommit is { } c ? $" ({c})" : "")}, {p.Trigger.ToString().ToLowerInvariant()} by {p.TriggeredBy}";

    private static string Name(PipelineStageKind kind) => kind.ToString().ToLowerInvariant();

    [GeneratedRegex("^[0-9a-f]{7,64}$")]
    private static partial Regex CommitSha();
}
