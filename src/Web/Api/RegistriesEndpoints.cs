using ControlPanel.Core.Registries;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class RegistriesEndpoints
{
    public static IEndpointRouteBuilder MapRegistriesApi(this IEndpointRouteBuilder app)
    {
        var registries = app.MapGroup("/api/registries").WithTags("Registries");

        registries.MapGet("/", (RegistryService service, CancellationToken ct) => service.ListAsync(ct))
            .WithSummary("Configured registries: name, URL, user name and whether a password is set (never the password).")
            .RequireAuthorization(Policies.ViewFleet);

        registries.MapPut("/{name}", (string name, RegistryDto body, RegistryService service, CancellationToken ct) =>
                service.SaveAsync(name, body.Url ?? "", body.UserName, body.Password, ct))
            .WithSummary("Creates or updates a registry. password: omit or null to keep the stored one, \"\" to remove it. It is stored encrypted and never returned.")
            .RequireAuthorization(Policies.Administer);

        registries.MapGet("/{name}/repositories", (string name, RegistryService service, CancellationToken ct) => service.RepositoriesAsync(name, ct))
            .WithSummary("Repositories in the registry (its catalog).")
            .RequireAuthorization(Policies.ViewFleet);

        registries.MapGet("/{name}/tags", async (string name, string repository, RegistryService service, CancellationToken ct) =>
                (await service.TagsAsync(name, repository, ct)).Select(t => new
                {
                    t.Image.Tag, t.Image.Digest, t.Image.Size, t.Image.Created,
                    builds = t.Builds.Select(b => new { b.Id, b.Service, b.CommitSha, b.Status, b.StartedAt }),
                    releases = t.Releases.Select(r => new { r.Service, r.Number, r.CreatedAt }),
                }))
            .WithSummary("Tags of ?repository= with digest, size, creation time, the builds that made them and the releases that use them.")
            .RequireAuthorization(Policies.ViewFleet);
        return app;
    }
}

[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RegistryDto(string? Url, string? UserName, string? Password);
