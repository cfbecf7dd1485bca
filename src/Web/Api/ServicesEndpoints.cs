using ControlPanel.Core.Fleet;
using ControlPanel.Core.Services;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class ServicesEndpoints
{
    public static IEndpointRouteBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        var services = app.MapGroup("/api/services").WithTags("Services").ProducesAuthProblems();

        services.MapGet("/", async (ServiceCatalog catalog, CancellationToken ct) => (await catalog.ListAsync(ct)).Select(ServiceDto.From))
            .WithName("ListServices")
            .WithSummary("Every service with its current definition.")
            .RequireAuthorization(Policies.ViewFleet);

        services.MapGet("/{name}", async (string name, int? revision, ServiceCatalog catalog, CancellationToken ct) => ServiceDto.From(await catalog.GetAsync(name, revision, ct)))
            .WithName("GetService")
            .WithSummary("A service's current definition, or ?revision=n.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);

        services.MapGet("/{name}/revisions", async (string name, ServiceCatalog catalog, CancellationToken ct) => (await catalog.RevisionsAsync(name, ct)).Select(ServiceDto.From))
            .WithName("ListServiceRevisions")
            .WithSummary("Every revision of the service's definition, newest first.")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);

        services.MapPut("/{name}", async (string name, BuildSettingsDto body, ServiceCatalog catalog, CancellationToken ct) =>
            {
                var (revision, changed) = await catalog.SaveAsync(name, body.ToSettings(), body.Runtime, ct);
                return new ServiceSavedDto(changed, ServiceDto.From(revision));
            })
            .WithName("SaveService")
            .WithSummary("Creates the service or stores its next revision; an unchanged definition stores nothing (changed: false).")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .RequireAuthorization(Policies.Deploy);

        services.MapDelete("/{name}", (string name, ServiceRemoval removal, CancellationToken ct) => removal.DeleteAsync(name, ct))
            .WithName("DeleteService")
            .WithSummary("Marks the service deleted (its history stays), then stops each replica with its own stop signal and timeout and removes it. " +
                "Replicas that could not be stopped are listed in 'remaining'; deleting again stops them. 409 while a deployment of it runs.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Deploy);
        return app;
    }
}

/// <summary>What a client sends to define a service; absent optional fields take their defaults.</summary>
/// <param name="Registry">Name of a registry configured in the panel, where the service's images are.</param>
/// <param name="ImageRepository">Repository inside the registry, e.g. shop/api.</param>
/// <param name="RepositoryUrl">Git repository the panel builds from (https://, ssh:// or user@host:path); omit it when another CI pushes the images.</param>
/// <param name="Branch">Branch built when no revision is named; default main.</param>
/// <param name="DockerfilePath">Path of the Dockerfile inside the repository; default Dockerfile.</param>
/// <param name="ContextPath">Folder inside the repository sent to the engine as the build context; default the root (.).</param>
/// <param name="BuildArgs">Build arguments by name (at most 100).</param>
/// <param name="Runtime">How the service runs: placement, replicas, environment, ports, health, stop and update policy. Needed before a release.</param>
/// <param name="SecretBuildArgs">Build arguments stored encrypted and returned masked (send the mask to keep a value).</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record BuildSettingsDto(string Registry, string ImageRepository, string? RepositoryUrl = null, string? Branch = null, string? DockerfilePath = null,
    string? ContextPath = null, Dictionary<string, string>? BuildArgs = null, Core.Releases.RuntimeSpec? Runtime = null, List<string>? SecretBuildArgs = null)
{
    // Registry and ImageRepository are required, yet a body may still omit them or send null: validation then names the field.
    public BuildSettings ToSettings() => new()
    {
        RepositoryUrl = RepositoryUrl,
        Branch = Branch ?? "main",
        DockerfilePath = DockerfilePath ?? "Dockerfile",
        ContextPath = ContextPath ?? ".",
        BuildArgs = BuildArgs ?? [],
        SecretBuildArgs = SecretBuildArgs ?? [],
        Registry = Registry ?? "",
        ImageRepository = ImageRepository ?? "",
    };
}

/// <summary>The outcome of saving a definition.</summary>
/// <param name="Changed">False when the definition equals the current one: no revision was stored.</param>
/// <param name="Service">The service's current definition.</param>
public sealed record ServiceSavedDto(bool Changed, ServiceDto Service);

/// <summary>A service as clients see it: secret environment values masked.</summary>
/// <param name="Name">The service's name, as in its URL.</param>
/// <param name="Revision">Number of this revision of the definition (1 for the first).</param>
/// <param name="Build">Where the image comes from and how it is built.</param>
/// <param name="ChangedBy">Who stored this revision.</param>
/// <param name="ChangedAt">When this revision was stored.</param>
/// <param name="Runtime">How the service runs; null until it is defined.</param>
/// <param name="Deleted">True on the revision that marked the service deleted (shown in its history).</param>
public sealed record ServiceDto(string Name, int Revision, BuildSettings Build, string ChangedBy, DateTimeOffset ChangedAt, Core.Releases.RuntimeSpec? Runtime, bool Deleted)
{
    public static ServiceDto From(ServiceRevision r) => new(r.Service, r.Number, SecretMasking.MaskSecrets(r.Build), r.ChangedBy, r.ChangedAt,
        r.Runtime is null ? null : SecretMasking.MaskSecrets(r.Runtime), r.Deleted);
}
