using ControlPanel.Core.Releases;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class ReleasesEndpoints
{
    public static IEndpointRouteBuilder MapReleasesApi(this IEndpointRouteBuilder app)
    {
        var service = app.MapGroup("/api/services/{name}").WithTags("Releases");

        service.MapGet("/releases", async (string name, ReleaseService releases, CancellationToken ct) => (await releases.ReleasesAsync(name, ct)).Select(ReleaseDto.From))
            .WithSummary("The service's releases, newest first (secret values masked).")
            .RequireAuthorization(Policies.ViewFleet);

        service.MapPost("/releases", async (string name, CreateReleaseDto body, ReleaseService releases, CancellationToken ct) =>
                ReleaseDto.From(await releases.CreateAsync(name, body.Tag, body.Build, body.Message, ct)))
            .WithSummary("Makes a release of the current definition with the image of tag (or build); the tag is resolved to its digest now.")
            .RequireAuthorization(Policies.Deploy);

        service.MapGet("/releases/diff", (string name, int? from, int to, ReleaseService releases, CancellationToken ct) => releases.DiffAsync(name, from, to, ct))
            .WithSummary("Image and configuration differences between two releases (from: default what runs now).")
            .RequireAuthorization(Policies.ViewFleet);

        service.MapPost("/deployments", async (string name, DeployDto body, ReleaseService releases, CancellationToken ct) =>
            {
                var deployment = await releases.DeployAsync(name, body.Release ?? throw new Core.Common.InvalidRequestException("release", "'release' is required: the number of the release to deploy."), body.Message, ct);
                return Results.Accepted($"/api/deployments/{deployment.Id}", deployment);
            })
            .WithSummary("Deploys a release to the service's nodes; 409 names who is deploying the service when one runs. Follow it at /api/deployments/{id}.")
            .RequireAuthorization(Policies.Deploy);

        service.MapPost("/rollback", async (string name, ReleaseService releases, CancellationToken ct) =>
            {
                var deployment = await releases.RollbackAsync(name, ct);
                return Results.Accepted($"/api/deployments/{deployment.Id}", deployment);
            })
            .WithSummary("Deploys the last release that succeeded before the current one (image and configuration).")
            .RequireAuthorization(Policies.Deploy);

        var deployments = app.MapGroup("/api/deployments").WithTags("Releases");
        deployments.MapGet("/", (string? service, int? limit, ReleaseService releases, CancellationToken ct) => releases.DeploymentsAsync(service, limit ?? 50, ct))
            .WithSummary("Deployments, newest first; ?service= and ?limit=.")
            .RequireAuthorization(Policies.ViewFleet);
        deployments.MapGet("/{id:guid}", (Guid id, ReleaseService releases, CancellationToken ct) => releases.DeploymentAsync(id, ct))
            .WithSummary("One deployment with every step per node and replica (timestamps and durations).")
            .RequireAuthorization(Policies.ViewFleet);
        deployments.MapPost("/{id:guid}/cancel", (Guid id, ReleaseService releases, CancellationToken ct) => releases.CancelAsync(id, ct))
            .WithSummary("Stops the deployment after its current batch; every slot keeps exactly one replica.")
            .RequireAuthorization(Policies.Deploy);
        return app;
    }
}

[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateReleaseDto(string? Tag, Guid? Build, string? Message);

/// <param name="Release">Required; nullable so that a body without it is refused by name, not read as release 0.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record DeployDto(int? Release, string? Message);

/// <summary>A release as clients see it: secret environment values masked.</summary>
public sealed record ReleaseDto(string Service, int Number, string Image, string Tag, string Digest, RuntimeSpec Spec, int ServiceRevision, Guid? BuildId,
    string CreatedBy, DateTimeOffset CreatedAt, string? Message)
{
    public static ReleaseDto From(Release r) =>
        new(r.Service, r.Number, r.Image, r.Tag, r.Digest, Core.Fleet.SecretMasking.MaskSecrets(r.Spec), r.ServiceRevision, r.BuildId, r.CreatedBy, r.CreatedAt, r.Message);
}
