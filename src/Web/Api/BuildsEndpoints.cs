using ControlPanel.Core.Builds;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPanel.Web.Api;

public static class BuildsEndpoints
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/services/{name}/builds", async Task<Accepted<Build>> (string name, BuildRequestDto body, BuildService builds, CancellationToken ct) =>
            {
                // A required field may still be missing from a body: StartAsync then refuses it by name.
                var build = await builds.StartAsync(new BuildRequest(name, body.Revision, body.Node ?? "", body.Rebuild ?? false, body.TagBranch ?? false), ct);
                return TypedResults.Accepted($"/api/builds/{build.Id}", build);
            })
            .WithTags("Builds")
            .WithName("StartBuild")
            .WithSummary("Starts a build of the branch head, or of revision (SHA or tag), on node. Follow it at /hubs/builds or poll /api/builds/{id}.")
            .RequireAuthorization(Policies.Deploy)
            .ProducesAuthProblems()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        var api = app.MapGroup("/api/builds").WithTags("Builds").ProducesAuthProblems();
        api.MapGet("/", (string? service, int? limit, BuildService builds, CancellationToken ct) => builds.ListAsync(service, limit ?? 50, ct))
            .WithName("ListBuilds")
            .WithSummary("Build history, newest first; ?service= and ?limit= (at most 500).")
            .RequireAuthorization(Policies.ViewFleet)
            .ProducesProblems(StatusCodes.Status400BadRequest);

        api.MapGet("/{id:guid}", (Guid id, BuildService builds, CancellationToken ct) => builds.GetAsync(id, ct))
            .WithName("GetBuild")
            .WithSummary("One build: commit, phases with durations, steps (cached or not), image and digest.")
            .RequireAuthorization(Policies.ViewFleet)
            .ProducesProblems(StatusCodes.Status404NotFound);

        api.MapPost("/{id:guid}/cancel", (Guid id, BuildService builds, CancellationToken ct) => builds.CancelAsync(id, ct))
            .WithName("CancelBuild")
            .WithSummary("Cancels a running build; the engine stops it and removes its intermediate containers.")
            .RequireAuthorization(Policies.Deploy)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}/log", async (Guid id, BuildService builds, CancellationToken ct) =>
                Results.File(System.Text.Encoding.UTF8.GetBytes(await builds.LogAsync(id, ct)), "text/plain; charset=utf-8", $"build-{id}.log"))
            .WithName("GetBuildLog")
            .WithSummary("The build's whole log as text (live while it runs).")
            .RequireAuthorization(Policies.ViewFleet)
            .ProducesFile("text/plain")
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }
}

/// <summary>What to build, and where; every field but the node is optional.</summary>
/// <param name="Node">The node whose engine builds the image.</param>
/// <param name="Revision">A commit SHA or tag; default the head of the service's branch.</param>
/// <param name="Rebuild">Build even when an image of this commit and these settings exists (default false: reuse it).</param>
/// <param name="TagBranch">Also tag the image with the branch name (builds of the branch head only; default false).</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record BuildRequestDto(string Node, string? Revision = null, bool? Rebuild = null, bool? TagBranch = null);
