using ControlPanel.Core.Audit;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Security;

namespace ControlPanel.Core.Services;

/// <summary>Defining services and reading their history, for pages and API alike.</summary>
public sealed class ServiceCatalog(IServiceStore store, IRegistryStore registries, Releases.ISecretProtector secrets, Fleet.FleetService fleet, ICurrentActor actor, TimeProvider time,
    Builds.BuildOptions buildOptions, Releases.HostMountOptions mounts, Builds.ISourceRepository sources, ServiceChanges changes)
{
    public async Task<IReadOnlyList<ServiceRevision>> ListAsync(CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.ListAsync(cancellationToken);
    }

    public async Task<ServiceRevision> GetAsync(string name, int? revision, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.FindAsync(name, revision, cancellationToken) ?? throw new ServiceNotFoundException(name, revision);
    }

    public async Task<IReadOnlyList<ServiceRevision>> RevisionsAsync(string name, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        var revisions = await store.RevisionsAsync(name, cancellationToken);
        return revisions.Count > 0 ? revisions : throw new ServiceNotFoundException(name);
    }

    /// <summary>Creates the service or stores its next revision; an unchanged definition stores nothing and returns the current one.</summary>
    /// <param name="runtime">How it runs; null keeps the current runtime spec. A secret value sent as <see cref="Fleet.SecretMasking.Mask"/> keeps the stored one.</param>
    public async Task<(ServiceRevision Revision, bool Changed)> SaveAsync(string name, BuildSettings settings, Releases.RuntimeSpec? runtime, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        ServiceValidation.RequireName(name);
        var valid = ServiceValidation.Validate(settings, buildOptions.AllowLocalRepositories);
        if (await registries.FindAsync(valid.Registry, cancellationToken) is null)
            throw new Common.InvalidRequestException("registry", $"Registry '{valid.Registry}' is not configured in the panel; add it under Registries first.");
        if (runtime is not null) runtime = Releases.RuntimeValidation.Validate(runtime, fleet.Nodes, mounts).Spec;
        if (runtime?.Route is { } route) await CheckRouterAsync(name, route, cancellationToken);
        var current = await store.FindAsync(name, null, cancellationToken);
        await CheckRepositoryAsync(valid, current?.Build, cancellationToken);
        valid = ProtectBuildArgs(valid, current?.Build);
        var runtimeToStore = runtime is null ? current?.Runtime : ProtectSecrets(runtime, current?.Runtime);
        if (current is not null && current.Build.SameAs(valid) && SameRuntime(current.Runtime, runtimeToStore)) return (current, false);
        var audit = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = who.Name,
            ClientAddress = who.ClientAddress,
            Action = current is null ? "service.create" : "service.change",
            Target = name,
            Detail = $"revision {(current?.Number ?? 0) + 1}: {valid.RepositoryUrl ?? "image only"} {valid.Branch} → {valid.Registry}/{valid.ImageRepository}",
            Succeeded = true,
            Duration = TimeSpan.Zero,
        };
        var saved = await store.AddRevisionAsync(name, valid, runtimeToStore, audit, cancellationToken);
        changes.Publish(new ServiceChange(name, ServiceChangeKind.Saved));
        return (saved, true);
    }

    /// <summary>Checks a runtime spec as saving it would (against the nodes and allowed mounts), without saving: for a form that says what is wrong while it is edited.</summary>
    /// <exception cref="Common.InvalidRequestException">The first problem, naming its field.</exception>
    public void CheckRuntime(Releases.RuntimeSpec runtime) => Releases.RuntimeValidation.Validate(runtime, fleet.Nodes, mounts);

    /// <summary>A route must name a router service that exists: otherwise no upstream would ever be written.</summary>
    private async Task CheckRouterAsync(string service, Traffic.RouteSpec route, CancellationToken cancellationToken)
    {
        const string field = "runtime.route.router";
        if (route.Router == service) throw new Common.InvalidRequestException(field, $"'{field}' names the service itself; a service cannot be routed through itself.");
        var router = await store.FindAsync(route.Router, null, cancellationToken);
        if (router is null || router.Deleted)
            throw new Common.InvalidRequestException(field, $"'{field}' names '{route.Router}', which is not a service; define the router service (router: true) first.");
        if (router.Runtime?.Router != true)
            throw new Common.InvalidRequestException(field, $"'{field}' names '{route.Router}', which is not a router; set router: true in its runtime spec first.");
    }

    /// <summary>
    /// A repository that cannot be read, or lacks the branch, is refused now rather than at the first build, which may
    /// come much later from someone else. Only a new repository or branch is asked, so a git server that is down does
    /// not stop anyone changing how the service runs.
    /// </summary>
    private async Task CheckRepositoryAsync(BuildSettings build, BuildSettings? current, CancellationToken cancellationToken)
    {
        if (build.RepositoryUrl is not { } url || (current?.RepositoryUrl == url && current.Branch == build.Branch)) return;
        if (await sources.CheckAsync(url, build.Branch, cancellationToken) is not { } problem) return;
        var field = problem.BranchMissing ? "branch" : "repositoryUrl";
        throw new Common.InvalidRequestException(field, $"'{field}': {url} cannot be built: {problem.Message}");
    }

    /// <summary>
    /// Encrypts new secret values; a masked one keeps the stored ciphertext. A value whose name looks secret
    /// (DB_PASSWORD), or that holds a URL with a password (DATABASE_URL), is stored as a secret even when not marked
    /// so: otherwise every page and the API would show it.
    /// </summary>
    private Releases.RuntimeSpec ProtectSecrets(Releases.RuntimeSpec runtime, Releases.RuntimeSpec? current) => runtime with
    {
        Environment = runtime.Environment.Select(e =>
        {
            if (!e.Secret && !Fleet.SecretMasking.LooksSecret(e.Name) && !Fleet.SecretMasking.HasUrlCredentials(e.Value)) return e;
            var stored = current?.Environment.FirstOrDefault(c => c.Name == e.Name && c.Secret)?.Value;
            return e with { Value = KeepOrProtect(e.Name, e.Value, stored, "runtime.environment"), Secret = true };
        }).ToList(),
    };

    /// <summary>The same for build arguments: those marked secret, named like one (NPM_TOKEN) or holding a URL password.</summary>
    private BuildSettings ProtectBuildArgs(BuildSettings build, BuildSettings? current)
    {
        foreach (var marked in build.SecretBuildArgs)
            if (!build.BuildArgs.ContainsKey(marked)) throw new Common.InvalidRequestException("secretBuildArgs", $"'secretBuildArgs' names '{marked}', which is not one of the build arguments.");
        var secret = build.BuildArgs
            .Where(a => build.SecretBuildArgs.Contains(a.Key) || Fleet.SecretMasking.LooksSecret(a.Key) || Fleet.SecretMasking.HasUrlCredentials(a.Value))
            .Select(a => a.Key).Order(StringComparer.Ordinal).ToList();
        string? Stored(string key) => current is not null && current.SecretBuildArgs.Contains(key) ? current.BuildArgs.GetValueOrDefault(key) : null;
        return build with
        {
            BuildArgs = build.BuildArgs.ToDictionary(a => a.Key, a => secret.Contains(a.Key) ? KeepOrProtect(a.Key, a.Value, Stored(a.Key), "buildArgs") : a.Value),
            SecretBuildArgs = secret,
        };
    }

    /// <summary>
    /// A masked value keeps the stored ciphertext; the same value sent again in plain text keeps it too (each
    /// encryption differs), so a client that re-sends its whole definition makes no new revision.
    /// </summary>
    private string KeepOrProtect(string name, string value, string? storedProtected, string field)
    {
        if (value == Fleet.SecretMasking.Mask)
            return storedProtected ?? throw new Common.InvalidRequestException(field, $"'{name}' is masked but no value is stored for it; send the value.");
        return storedProtected is not null && ReadableAs(storedProtected, value) ? storedProtected : secrets.Protect(value);
    }

    private bool ReadableAs(string protectedValue, string plain)
    {
        try
        {
            return secrets.Unprotect(protectedValue) == plain;
        }
        catch (Common.ControlPanelException)
        {
            return false; // the keys changed: store it anew
        }
    }

    // Ciphertexts differ each time: a re-sent secret is unchanged when sent masked, or in plain text with the same value.
    private static bool SameRuntime(Releases.RuntimeSpec? a, Releases.RuntimeSpec? b) =>
        a is null ? b is null : b is not null && System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);
}
