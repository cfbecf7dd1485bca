using ControlPanel.Core.Builds;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class BuildsEndpoints
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/services/{name}/builds", async (string name, BuildRequestDto body, BuildService builds, CancellationToken ct) =>
            {
                var build = await builds.StartAsync(new BuildRequest(name, body.Revision, body.Node ?? "", body.Rebuild ?? false, body.TagBranch ?? false), ct);
                return Results.Accepted($"/api/builds/{build.Id}", build);
            })
            .WithTags("Builds")
            .WithSummary("Starts a build of the branch head, or of revision (SHA or tag), on node. Follow it at /hubs/builds or poll /api/builds/{id}.")
            .RequireAuthorization(Policies.Deploy);

        var api = app.MapGroup("/api/builds").WithTags("Builds");
        api.MapGet("/", (string? service, int? limit, BuildService builds, CancellationToken ct) => builds.ListAsync(service, limit ?? 50, ct))
            .WithSummary("Build history, newest first; ?service= and ?limit= (at most 500).")
            .RequireAuthorization(Policies.ViewFleet);

        api.MapGet("/{id:guid}", (Guid id, BuildService builds, CancellationToken ct) => builds.GetAsync(id, ct))
            .WithSummary("One build: commit, phases with durations, steps (cached or not), image and digest.")
            .RequireAuthorization(Policies.ViewFleet);

        api.MapPost("/{id:guid}/cancel", (Guid id, BuildService builds, CancellationToken ct) => builds.CancelAsync(id, ct))
            .WithSummary("Cancels a running build; the engine stops it and removes its intermediate containers.")
            .RequireAuthorization(Policies.Deploy);

        api.MapGet("/{id:guid}/log", async (Guid id, BuildService builds, CancellationToken ct) =>
                Results.File(System.Text.Encoding.UTF8.GetBytes(await builds.LogAsync(id, ct)), "text/plain; charset=utf-8", $"build-{id}.log"))
            .WithSummary("The build's whole log as text (live while it runs).")
            .RequireAuthorization(Policies.ViewFleet);
        return app;
    }
}

[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record BuildRequestDto(string? Revision, string? Node, bool? Rebuild, bool? TagBranch);
