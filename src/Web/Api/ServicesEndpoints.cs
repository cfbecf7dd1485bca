using ControlPanel.Core.Fleet;
using ControlPanel.Core.Services;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class ServicesEndpoints
{
    public static IEndpointRouteBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        var services = app.MapGroup("/api/services").WithTags("Services");

        services.MapGet("/", async (ServiceCatalog catalog, CancellationToken ct) => (await catalog.ListAsync(ct)).Select(ServiceDto.From))
            .WithSummary("Every service with its current definition.")
            .RequireAuthorization(Policies.ViewFleet);

        services.MapGet("/{name}", async (string name, int? revision, ServiceCatalog catalog, CancellationToken ct) => ServiceDto.From(await catalog.GetAsync(name, revision, ct)))
            .WithSummary("A service's current definition, or ?revision=n.")
            .RequireAuthorization(Policies.ViewFleet);

        services.MapGet("/{name}/revisions", async (string name, ServiceCatalog catalog, CancellationToken ct) => (await catalog.RevisionsAsync(name, ct)).Select(ServiceDto.From))
            .WithSummary("Every revision of the service's definition, newest first.")
            .RequireAuthorization(Policies.ViewFleet);

        services.MapPut("/{name}", async (string name, BuildSettingsDto body, ServiceCatalog catalog, CancellationToken ct) =>
            {
                var (revision, changed) = await catalog.SaveAsync(name, body.ToSettings(), body.Runtime, ct);
                return Results.Ok(new { changed, service = ServiceDto.From(revision) });
            })
            .WithSummary("Creates the service or stores its next revision; an unchanged definition stores nothing (changed: false).")
            .RequireAuthorization(Policies.Deploy);

        services.MapDelete("/{name}", (string name, ServiceRemoval removal, CancellationToken ct) => removal.DeleteAsync(name, ct))
            .WithSummary("Marks the service deleted (its history stays), then stops each replica with its own stop signal and timeout and removes it. " +
                "Replicas that could not be stopped are listed in 'remaining'; deleting again stops them. 409 while a deployment of it runs.")
            .RequireAuthorization(Policies.Deploy);
        return app;
    }
}

/// <summary>What a client sends to define a service's build; absent optional fields take their defaults.</summary>
/// <param name="SecretBuildArgs">Build arguments stored encrypted and returned masked (send the mask to keep a value).</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record BuildSettingsDto(string? RepositoryUrl, string? Branch, string? DockerfilePath, string? ContextPath, Dictionary<string, string>? BuildArgs,
    string? Registry, string? ImageRepository, Core.Releases.RuntimeSpec? Runtime = null, List<string>? SecretBuildArgs = null)
{
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

/// <summary>A service as clients see it: secret environment values masked.</summary>
/// <param name="Deleted">True on the revision that marked the service deleted (shown in its history).</param>
public sealed record ServiceDto(string Name, int Revision, BuildSettings Build, string ChangedBy, DateTimeOffset ChangedAt, Core.Releases.RuntimeSpec? Runtime, bool Deleted)
{
    public static ServiceDto From(ServiceRevision r) => new(r.Service, r.Number, SecretMasking.MaskSecrets(r.Build), r.ChangedBy, r.ChangedAt,
        r.Runtime is null ? null : SecretMasking.MaskSecrets(r.Runtime), r.Deleted);
}
