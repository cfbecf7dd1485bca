using ControlPanel.Core.Registries;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class RegistriesEndpoints
{
    public static IEndpointRouteBuilder MapRegistriesApi(this IEndpointRouteBuilder app)
    {
        var registries = app.MapGroup("/api/registries").WithTags("Registries").ProducesAuthProblems();

        registries.MapGet("/", (RegistryService service, CancellationToken ct) => service.ListAsync(ct))
            .WithName("ListRegistries")
            .WithSummary("Configured registries: name, URL, user name and whether a password is set (never the password).")
            .RequireAuthorization(Policies.ViewFleet);

        registries.MapPut("/{name}", (string name, RegistryDto body, RegistryService service, CancellationToken ct) =>
                service.SaveAsync(name, body.Url ?? "", body.UserName, body.Password, ct))
            .WithName("SaveRegistry")
            .WithSummary("Creates or updates a registry. password: omit or null to keep the stored one, \"\" to remove it. It is stored encrypted and never returned.")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .RequireAuthorization(Policies.Administer);

        registries.MapGet("/{name}/repositories", (string name, RegistryService service, CancellationToken ct) => service.RepositoriesAsync(name, ct))
            .WithName("ListRegistryRepositories")
            .WithSummary("Repositories in the registry (its catalog).")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway)
            .RequireAuthorization(Policies.ViewFleet);

        registries.MapGet("/{name}/tags", async (string name, string repository, RegistryService service, CancellationToken ct) =>
                (await service.TagsAsync(name, repository, ct)).Select(RegistryTagDto.From))
            .WithName("ListRegistryTags")
            .WithSummary("Tags of ?repository= with digest, size, creation time, the builds that made them and the releases that use them.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway)
            .RequireAuthorization(Policies.ViewFleet);
        return app;
    }
}

/// <summary>A registry's address and credentials.</summary>
/// <param name="Url">The registry's base address, such as https://registry.example.com or http://127.0.0.1:5000.</param>
/// <param name="UserName">User name to log in with; omit for an anonymous registry.</param>
/// <param name="Password">Omit or null to keep the stored password, "" to remove it. Stored encrypted and never returned.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RegistryDto(string Url, string? UserName = null, string? Password = null);

/// <summary>A tag in a registry and where the panel met it.</summary>
/// <param name="Size">The image's size in bytes, as the registry reports it.</param>
/// <param name="Created">When the image was built, when its configuration says.</param>
/// <param name="Builds">The panel's builds that pushed this tag.</param>
/// <param name="Releases">The releases made of this image.</param>
public sealed record RegistryTagDto(string Tag, string Digest, long Size, DateTimeOffset? Created, IReadOnlyList<TagBuildDto> Builds, IReadOnlyList<TagReleaseDto> Releases)
{
    public static RegistryTagDto From(RegistryTag t) => new(t.Image.Tag, t.Image.Digest, t.Image.Size, t.Image.Created,
        [.. t.Builds.Select(b => new TagBuildDto(b.Id, b.Service, b.CommitSha, b.Status, b.StartedAt))],
        [.. t.Releases.Select(r => new TagReleaseDto(r.Service, r.Number, r.CreatedAt))]);
}

/// <summary>A build that pushed a tag; the whole build is at /api/builds/{id}.</summary>
public sealed record TagBuildDto(Guid Id, string Service, string? CommitSha, Core.Builds.BuildStatus Status, DateTimeOffset StartedAt);

/// <summary>A release made of a tag's image.</summary>
public sealed record TagReleaseDto(string Service, int Number, DateTimeOffset CreatedAt);
