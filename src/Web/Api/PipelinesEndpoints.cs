using ControlPanel.Core.Pipelines;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPanel.Web.Api;

public static class PipelinesEndpoints
{
    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var services = app.MapGroup("/api/services/{name}/pipelines").WithTags("Pipelines").ProducesAuthProblems();
        services.MapPost("/", async Task<Accepted<Pipeline>> (string name, PipelineRequestDto? body, PipelineService pipelines, CancellationToken ct) =>
            {
                var pipeline = await pipelines.StartAsync(name, body?.Revision, body?.Node, body?.Deploy ?? true, PipelineTrigger.Api, ct);
                return TypedResults.Accepted($"/api/pipelines/{pipeline.Id}", pipeline);
            })
            .WithName("StartPipeline")
            .WithSummary("Builds the branch head (or revision) and, unless deploy is false, releases and deploys it, as one pipeline. " +
                "Answers at once with the pipeline (queued while another of the service runs); follow it at /api/pipelines/{id}.")
            .RequireAuthorization(Policies.Deploy)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        services.MapGet("/", (string name, int? limit, PipelineService pipelines, CancellationToken ct) => pipelines.ListAsync(name, limit ?? 20, ct))
            .WithName("ListPipelines")
            .WithSummary("The service's pipelines, newest first; ?limit= (1 to 100, default 20).")
            .RequireAuthorization(Policies.ViewFleet)
            .ProducesProblems(StatusCodes.Status400BadRequest);

        var api = app.MapGroup("/api/pipelines").WithTags("Pipelines").ProducesAuthProblems();
        api.MapGet("/{id:guid}", (Guid id, PipelineService pipelines, CancellationToken ct) => pipelines.GetAsync(id, ct))
            .WithName("GetPipeline")
            .WithSummary("One pipeline: its trigger, each stage's status and duration, and the build, release and deployment it made.")
            .RequireAuthorization(Policies.ViewFleet)
            .ProducesProblems(StatusCodes.Status404NotFound);

        api.MapPost("/{id:guid}/cancel", (Guid id, PipelineService pipelines, CancellationToken ct) => pipelines.CancelAsync(id, ct))
            .WithName("CancelPipeline")
            .WithSummary("Cancels a queued pipeline, or the running stage (build or deployment) of a running one; later stages are cancelled.")
            .RequireAuthorization(Policies.Deploy)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return app;
    }
}

/// <summary>What to build and whether to deploy it; every field is optional.</summary>
/// <param name="Revision">A branch, tag or commit SHA; default the head of the service's branch.</param>
/// <param name="Node">The node whose engine builds the image; default the node of the service's newest build.</param>
/// <param name="Deploy">Release and deploy the image after the build (default true); false builds only.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record PipelineRequestDto(string? Revision = null, string? Node = null, bool? Deploy = null);
