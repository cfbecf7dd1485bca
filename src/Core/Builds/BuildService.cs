using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Builds;

/// <summary>Starting, cancelling and reading builds, for pages and API alike; the server-side gate for each.</summary>
public sealed class BuildService(
    IServiceStore services,
    IRegistryStore registries,
    IBuildStore store,
    BuildRunner runner,
    FleetService fleet,
    IAuditLog auditLog,
    ICurrentActor actor,
    TimeProvider time)
{
    public async Task<Build> StartAsync(BuildRequest request, CancellationToken cancellationToken) =>
        await StartAsync(request, await actor.GetAsync(cancellationToken), cancellationToken);

    /// <summary>Starts a build as <paramref name="who"/> (a pipeline running in the background for whoever triggered it).</summary>
    public async Task<Build> StartAsync(BuildRequest request, Actor who, CancellationToken cancellationToken)
    {
        who.Require(Permission.Deploy);
        var service = await services.FindAsync(request.Service, null, cancellationToken) ?? throw new ServiceNotFoundException(request.Service);
        if (!service.Build.BuildsFromSource)
            throw new InvalidRequestException("repositoryUrl", $"Service '{service.Service}' has no repository URL: its images are pushed to {service.Build.Registry}/{service.Build.ImageRepository} " +
                "from elsewhere and released by tag. Set its repositoryUrl to build it here.");
        if (string.IsNullOrWhiteSpace(request.Node)) throw new InvalidRequestException("node", "Choose the node to build on.");
        var node = fleet.RequireNode(request.Node);
        var revision = string.IsNullOrWhiteSpace(request.Revision) ? service.Build.Branch : GitNames.RequireRevision(request.Revision.Trim(), "revision");
        var registry = await registries.FindAsync(service.Build.Registry, cancellationToken) ?? throw new RegistryNotFoundException(service.Build.Registry);
        var now = time.GetUtcNow();
        var build = new Build
        {
            Id = Guid.CreateVersion7(now),
            Service = service.Service,
            ServiceRevision = service.Number,
            Requested = revision,
            Node = node.Name,
            RequestedBy = who.Name,
            StartedAt = now,
            HeartbeatAt = now,
            SettingsFingerprint = service.Build.Fingerprint(),
            Rebuild = request.Rebuild,
            TagBranch = request.TagBranch,
        };
        await store.AddAsync(build, Audit(who, "build.start", build, $"revision={revision} node={node.Name}{(request.Rebuild ? " rebuild" : "")}"), cancellationToken);
        return runner.Launch(build, service.Build, registry, node).Current;
    }

    public async Task<Build> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        var build = await FindAsync(id, cancellationToken);
        if (build.IsFinished) throw new InvalidRequestException("build", $"Build {id} is not running: it ended {build.Status.ToString().ToLowerInvariant()}.");
        if (!runner.Cancel(id)) throw new InvalidRequestException("build", $"Build {id} runs on another instance of the panel; cancel it there.");
        await auditLog.RecordAsync(Audit(who, "build.cancel", build, null), cancellationToken);
        return build;
    }

    public async Task<Build> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await FindAsync(id, cancellationToken);
    }

    /// <summary>The live feed while the build runs here; null otherwise (read the record and the stored log instead).</summary>
    public async Task<BuildFeed?> FeedAsync(Guid id, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return runner.Feed(id);
    }

    public async Task<IReadOnlyList<Build>> ListAsync(string? service, int limit, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.ListAsync(service, Math.Clamp(limit, 1, 500), cancellationToken);
    }

    /// <summary>The whole log: live while running, stored afterwards.</summary>
    public async Task<string> LogAsync(Guid id, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        if (runner.Feed(id) is { } feed) return feed.FullLog();
        return await store.ReadLogAsync(id, cancellationToken) ?? throw new BuildNotFoundException(id);
    }

    private async Task<Build> FindAsync(Guid id, CancellationToken cancellationToken) =>
        runner.Feed(id)?.Current ?? await store.FindAsync(id, cancellationToken) ?? throw new BuildNotFoundException(id);


    private AuditEntry Audit(Actor who, string action, Build build, string? detail) => new()
    {
        At = time.GetUtcNow(),
        Actor = who.Name,
        ClientAddress = who.ClientAddress,
        Action = action,
        Node = build.Node,
        Target = $"{build.Service} build {build.Id}",
        Detail = detail,
        Succeeded = true,
        Duration = TimeSpan.Zero,
    };
}

public sealed class BuildNotFoundException(Guid id) : ControlPanelException($"Build {id} is not known to the panel.")
{
    public Guid Id { get; } = id;
}
