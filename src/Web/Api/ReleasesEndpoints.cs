using ControlPanel.Core.Releases;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPanel.Web.Api;

public static class ReleasesEndpoints
{
    public static IEndpointRouteBuilder MapReleasesApi(this IEndpointRouteBuilder app)
    {
        var service = app.MapGroup("/api/services/{name}").WithTags("Releases").ProducesAuthProblems();

        service.MapGet("/releases", async (string name, ReleaseService releases, CancellationToken ct) => (await releases.ReleasesAsync(name, ct)).Select(ReleaseDto.From))
            .WithName("ListReleases")
            .WithSummary("The service's releases, newest first (secret values masked).")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);

        service.MapPost("/releases", async (string name, CreateReleaseDto body, ReleaseService releases, CancellationToken ct) =>
                ReleaseDto.From(await releases.CreateAsync(name, body.Tag, body.Build, body.Message, ct)))
            .WithName("CreateRelease")
            .WithSummary("Makes a release of the current definition with the image of tag (or build); the tag is resolved to its digest now.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway)
            .RequireAuthorization(Policies.Deploy);

        service.MapGet("/releases/diff", (string name, int? from, int to, ReleaseService releases, CancellationToken ct) => releases.DiffAsync(name, from, to, ct))
            .WithName("DiffReleases")
            .WithSummary("Image and configuration differences between two releases (from: default what runs now).")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);

        service.MapPost("/deployments", async Task<Accepted<Deployment>> (string name, DeployDto body, ReleaseService releases, CancellationToken ct) =>
            {
                var deployment = await releases.DeployAsync(name, body.Release ?? throw new Core.Common.InvalidRequestException("release", "'release' is required: the number of the release to deploy."), body.Message, ct);
                return TypedResults.Accepted($"/api/deployments/{deployment.Id}", deployment);
            })
            .WithName("Deploy")
            .WithSummary("Deploys a release to the service's nodes; 409 names who is deploying the service when one runs. Follow it at /api/deployments/{id}.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Deploy);

        service.MapPost("/restart", async Task<Accepted<Deployment>> (string name, RestartDto? body, ReleaseService releases, CancellationToken ct) =>
            {
                var deployment = await releases.RestartAsync(name, null, body?.Message, ct);
                return TypedResults.Accepted($"/api/deployments/{deployment.Id}", deployment);
            })
            .WithName("RestartService")
            .WithSummary("Safe restart of every replica of the release that runs, under the deployment lock: each out of rotation, drained, stopped gracefully, started, healthy, back in rotation. Follow it at /api/deployments/{id}.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Deploy);

        service.MapPost("/replicas/{container}/restart", async Task<Accepted<Deployment>> (string name, string container, RestartDto? body, ReleaseService releases, CancellationToken ct) =>
            {
                var deployment = await releases.RestartAsync(name, container, body?.Message, ct);
                return TypedResults.Accepted($"/api/deployments/{deployment.Id}", deployment);
            })
            .WithName("RestartReplica")
            .WithSummary("Safe restart of one replica (its container id), on call: out of rotation, drained, stopped gracefully, started, healthy, back in rotation; under the service's deployment lock.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.OperateContainers);

        service.MapPost("/rollback", async Task<Accepted<Deployment>> (string name, RollbackDto? body, ReleaseService releases, CancellationToken ct) =>
            {
                var deployment = await releases.RollbackAsync(name, body?.Release, ct);
                return TypedResults.Accepted($"/api/deployments/{deployment.Id}", deployment);
            })
            .WithName("Rollback")
            .WithSummary("Deploys an earlier healthy release again (image and configuration), audited as deployment.rollback: the body's release, or the last release that succeeded before the current one.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Deploy);

        var deployments = app.MapGroup("/api/deployments").WithTags("Releases").ProducesAuthProblems();
        deployments.MapGet("/", (string? service, int? limit, ReleaseService releases, CancellationToken ct) => releases.DeploymentsAsync(service, limit ?? 50, ct))
            .WithName("ListDeployments")
            .WithSummary("Deployments, newest first; ?service= and ?limit=.")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .RequireAuthorization(Policies.ViewFleet);
        deployments.MapGet("/{id:guid}", (Guid id, ReleaseService releases, CancellationToken ct) => releases.DeploymentAsync(id, ct))
            .WithName("GetDeployment")
            .WithSummary("One deployment with every step per node and replica (timestamps and durations).")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);
        deployments.MapPost("/{id:guid}/cancel", (Guid id, ReleaseService releases, CancellationToken ct) => releases.CancelAsync(id, ct))
            .WithName("CancelDeployment")
            .WithSummary("Stops the deployment after its current batch; every slot keeps exactly one replica.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Deploy);
        return app;
    }
}

/// <summary>What to release: the image of a tag, or the image a build made.</summary>
/// <param name="Tag">An image tag (or digest) in the service's repository; give it or build.</param>
/// <param name="Build">The id of a build of the service whose image to release.</param>
/// <param name="Message">Why, for the history.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateReleaseDto(string? Tag = null, Guid? Build = null, string? Message = null);

/// <summary>Which release to deploy.</summary>
/// <param name="Release">The number of the release to deploy. Required; nullable so that a body without it is refused by name, not read as release 0.</param>
/// <param name="Message">Why, for the history.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record DeployDto(int? Release, string? Message = null);

/// <summary>A release as clients see it: secret environment values masked.</summary>
/// <param name="Number">The release's number within its service (1 for the first).</param>
/// <param name="Image">The image's repository with its registry host, e.g. registry.example.com/shop/api (replicas run it at the digest).</param>
/// <param name="Tag">The tag it was made from.</param>
/// <param name="Digest">The image's digest, resolved when the release was made.</param>
/// <param name="Spec">How the release runs: the service's runtime spec when the release was made.</param>
/// <param name="ServiceRevision">The revision of the service's definition it was made from.</param>
/// <param name="BuildId">The build that made its image, when the panel built it.</param>
public sealed record ReleaseDto(string Service, int Number, string Image, string Tag, string Digest, RuntimeSpec Spec, int ServiceRevision, Guid? BuildId,
    string CreatedBy, DateTimeOffset CreatedAt, string? Message)
{
    public static ReleaseDto From(Release r) =>
        new(r.Service, r.Number, r.Image, r.Tag, r.Digest, Core.Fleet.SecretMasking.MaskSecrets(r.Spec), r.ServiceRevision, r.BuildId, r.CreatedBy, r.CreatedAt, r.Message);
}

/// <summary>Where to roll back to.</summary>
/// <param name="Release">A release that once ran healthy; omitted: the last one that succeeded before the current one.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RollbackDto(int? Release = null);

/// <summary>Why a safe restart is made, for the history.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RestartDto(string? Message = null);
