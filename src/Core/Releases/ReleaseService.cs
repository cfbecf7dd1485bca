using ControlPanel.Core.Audit;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Releases;

/// <summary>Making releases, deploying them, rolling back and reading the history, for pages and API alike.</summary>
public sealed class ReleaseService(
    IServiceStore services,
    IReleaseStore store,
    IRegistryStore registries,
    IRegistryClient registryClient,
    IBuildStore builds,
    FleetService fleet,
    DeploymentRunner runner,
    DeploymentStarter starter,
    IAuditLog auditLog,
    ICurrentActor actor,
    HostMountOptions mounts,
    TimeProvider time)
{
    /// <summary>
    /// A release of the service's current definition with the image a tag (or a build) names; the tag is resolved to
    /// its digest now, so the release always means the same image.
    /// </summary>
    public async Task<Release> CreateAsync(string service, string? tag, Guid? buildId, string? message, CancellationToken cancellationToken) =>
        await CreateAsync(service, tag, buildId, message, await actor.GetAsync(cancellationToken), cancellationToken);

    /// <summary>Creates a release as <paramref name="who"/> (a pipeline running in the background for whoever triggered it).</summary>
    public async Task<Release> CreateAsync(string service, string? tag, Guid? buildId, string? message, Actor who, CancellationToken cancellationToken)
    {
        who.Require(Permission.Deploy);
        var definition = await services.FindAsync(service, null, cancellationToken) ?? throw new ServiceNotFoundException(service);
        var runtime = definition.Runtime ?? throw new InvalidRequestException("runtime", $"Service '{service}' has no runtime spec yet (replicas, placement, stop signal…); define it first.");
        RuntimeValidation.Validate(runtime, fleet.Nodes, mounts);
        if (buildId is { } id)
        {
            var build = await builds.FindAsync(id, cancellationToken) ?? throw new BuildNotFoundException(id);
            if (build.Service != service || build.ShortSha is null || build.Digest is null)
                throw new InvalidRequestException("build", $"Build {id} did not produce an image of '{service}'.");
            tag = build.ShortSha;
        }
        if (string.IsNullOrWhiteSpace(tag)) throw new InvalidRequestException("tag", "Name the image tag (or the build) to release.");
        if (!Registries.ImageNames.IsReference(tag.Trim()))
            throw new InvalidRequestException("tag", $"'tag' must be an image tag (letters, digits, '_', '.', '-'; up to 128) or a digest; got '{tag}'.");
        var registry = await registries.FindAsync(definition.Build.Registry, cancellationToken) ?? throw new RegistryNotFoundException(definition.Build.Registry);
        var image = await registryClient.FindImageAsync(registry, await registries.GetCredentialsAsync(registry.Name, cancellationToken), definition.Build.ImageRepository, tag.Trim(), cancellationToken)
            ?? throw new InvalidRequestException("tag", $"Tag '{tag}' is not in {registry.Host}/{definition.Build.ImageRepository}.");
        var release = new Release
        {
            Service = service,
            Number = 0, // the store numbers it
            Image = $"{registry.Host}/{definition.Build.ImageRepository}",
            Tag = tag.Trim(),
            Digest = image.Digest,
            Spec = runtime,
            ServiceRevision = definition.Number,
            BuildId = buildId,
            CreatedBy = who.Name,
            CreatedAt = time.GetUtcNow(),
            Message = message,
        };
        return await store.AddReleaseAsync(release, Audit(who, "release.create", service, $"{release.Image}:{release.Tag} {release.Digest}"), cancellationToken);
    }

    /// <summary>Starts applying a release to the service's nodes; refused before anything starts when the spec or a node is not right.</summary>
    public async Task<Deployment> DeployAsync(string service, int releaseNumber, string? message, CancellationToken cancellationToken) =>
        await DeployAsync(service, releaseNumber, message, await actor.GetAsync(cancellationToken), cancellationToken);

    /// <summary>Starts a deployment as <paramref name="who"/> (a pipeline running in the background for whoever triggered it).</summary>
    public async Task<Deployment> DeployAsync(string service, int releaseNumber, string? message, Actor who, CancellationToken cancellationToken)
    {
        who.Require(Permission.Deploy);
        // A deleted service keeps its releases as history; none of them runs again until the service is defined anew.
        _ = await services.FindAsync(service, null, cancellationToken) ?? throw new ServiceNotFoundException(service);
        var release = await store.FindReleaseAsync(service, releaseNumber, cancellationToken)
            ?? throw new InvalidRequestException("release", $"Service '{service}' has no release {releaseNumber}.");
        return await starter.StartAsync(release, who.Name, who.ClientAddress, message, cancellationToken);
    }

    /// <summary>
    /// A safe restart of the release that runs, under the service's deployment lock: every replica (deployers), or the
    /// one replica <paramref name="container"/> (operators, on call), each drained before its stop and healthy before
    /// it is sent work again.
    /// </summary>
    public async Task<Deployment> RestartAsync(string service, string? container, string? message, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(container is null ? Permission.Deploy : Permission.OperateContainers, cancellationToken);
        _ = await services.FindAsync(service, null, cancellationToken) ?? throw new ServiceNotFoundException(service);
        if (container is not null && (container.Length < 12 || !container.All(char.IsAsciiHexDigitLower)))
            throw new InvalidRequestException("container", $"'container' must be a container id (at least 12 lowercase hex digits); got '{container}'.");
        var current = await store.CurrentReleaseAsync(service, cancellationToken)
            ?? throw new InvalidRequestException("service", $"Service '{service}' has no release running to restart; deploy one first.");
        var release = await store.FindReleaseAsync(service, current, cancellationToken) ?? throw new InvalidRequestException("service", $"Service '{service}' has no release {current}.");
        return await starter.StartAsync(release, who.Name, who.ClientAddress, message, cancellationToken, DeploymentKind.Restart, container);
    }

    /// <summary>
    /// Deploys an earlier healthy release again, image and configuration, audited as a rollback: <paramref name="to"/>,
    /// or (null) the last release that succeeded before the current one. Only a release that once ran healthy is a
    /// rollback target; anything else is a plain deployment.
    /// </summary>
    public async Task<Deployment> RollbackAsync(string service, int? to, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        _ = await services.FindAsync(service, null, cancellationToken) ?? throw new ServiceNotFoundException(service);
        var current = await store.CurrentReleaseAsync(service, cancellationToken);
        var deployments = await store.ListDeploymentsAsync(service, 500, cancellationToken);
        int target;
        if (to is { } asked)
        {
            if (!deployments.Any(d => d.Release == asked && d.Status == DeploymentStatus.Succeeded))
                throw new InvalidRequestException("release", $"Release {asked} of '{service}' never ran healthy; roll back only to a release that did.");
            target = asked;
        }
        else
        {
            target = (current is null ? null : PreviousHealthyRelease(deployments, current))
                ?? throw new InvalidRequestException("service", current is null
                    ? $"Service '{service}' has no successful deployment to roll back from."
                    : $"Service '{service}' has no earlier successful release than {current}.");
        }
        var release = await store.FindReleaseAsync(service, target, cancellationToken)
            ?? throw new InvalidRequestException("release", $"Service '{service}' has no release {target}.");
        // From what the replicas run now: a release deployment that ended broken left (some of) them on its release.
        var from = deployments.FirstOrDefault() is { Kind: DeploymentKind.Release, Status: DeploymentStatus.Failed or DeploymentStatus.Paused or DeploymentStatus.Interrupted or DeploymentStatus.Cancelled } broken
            ? broken.Release : current;
        var message = from is { } f && f != target ? $"Rollback from release {f} to release {target}" : $"Rollback to release {target}";
        return await starter.StartAsync(release, who.Name, who.ClientAddress, message, cancellationToken, rollback: true);
    }

    /// <summary>The last release that ran healthy before <paramref name="current"/>, from deployments newest first; null when none did.</summary>
    public static int? PreviousHealthyRelease(IEnumerable<Deployment> newestFirst, int? current) =>
        newestFirst.Where(d => d.Status == DeploymentStatus.Succeeded && d.Release != current).Select(d => (int?)d.Release).FirstOrDefault();

    public async Task<Deployment> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        var deployment = await store.FindDeploymentAsync(id, cancellationToken) ?? throw new DeploymentNotFoundException(id);
        if (deployment.IsFinished) throw new InvalidRequestException("deployment", $"Deployment {id} is not running: it ended {deployment.Status}.");
        if (!runner.Cancel(id)) throw new InvalidRequestException("deployment", $"Deployment {id} runs on another instance of the panel; cancel it there.");
        await auditLog.RecordAsync(Audit(who, "deployment.cancel", deployment.Service, id.ToString()), cancellationToken);
        return deployment;
    }

    public async Task<IReadOnlyList<Release>> ReleasesAsync(string service, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.ListReleasesAsync(service, cancellationToken);
    }

    public async Task<IReadOnlyList<ReleaseChange>> DiffAsync(string service, int? from, int to, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        var target = await store.FindReleaseAsync(service, to, cancellationToken) ?? throw new InvalidRequestException("to", $"Service '{service}' has no release {to}.");
        var fromNumber = from ?? await store.CurrentReleaseAsync(service, cancellationToken);
        var source = fromNumber is { } f ? await store.FindReleaseAsync(service, f, cancellationToken) ?? throw new InvalidRequestException("from", $"Service '{service}' has no release {f}.") : null;
        return ReleaseDiff.Between(source, target);
    }

    public async Task<Deployment> DeploymentAsync(Guid id, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.FindDeploymentAsync(id, cancellationToken) ?? throw new DeploymentNotFoundException(id);
    }

    public async Task<IReadOnlyList<Deployment>> DeploymentsAsync(string? service, int limit, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.ListDeploymentsAsync(service, Math.Clamp(limit, 1, 500), cancellationToken);
    }

    /// <summary>Deployments running now on any instance, one per service at most.</summary>
    public async Task<IReadOnlyList<Deployment>> RunningDeploymentsAsync(CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.ListRunningDeploymentsAsync(cancellationToken);
    }

    private AuditEntry Audit(Actor who, string action, string service, string detail) => new()
    {
        At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = action, Target = service, Detail = detail, Succeeded = true, Duration = TimeSpan.Zero,
    };
}
