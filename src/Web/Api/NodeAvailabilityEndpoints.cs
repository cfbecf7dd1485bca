using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

/// <summary>Cordon, uncordon and drain: an Admin's say over where new replicas go.</summary>
public static class NodeAvailabilityEndpoints
{
    public static IEndpointRouteBuilder MapNodeAvailabilityApi(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/nodes/{name}").WithTags("Nodes").RequireAuthorization(Policies.Administer).ProducesAuthProblems();

        nodes.MapPost("/cordon", async (string name, NodeCordonDto? body, NodeCordoning cordoning, CancellationToken ct) =>
                NodeAvailabilityDto.From(await cordoning.CordonAsync(name, body?.Reason, ct)))
            .WithName("CordonNode")
            .WithSummary("Cordons the node: no new replica is placed there; what runs stays. Again on a cordoned node: replaces the reason.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        nodes.MapPost("/uncordon", async (string name, NodeCordoning cordoning, CancellationToken ct) =>
                NodeAvailabilityDto.From(await cordoning.UncordonAsync(name, ct)))
            .WithName("UncordonNode")
            .WithSummary("Lifts the node's cordon: the next deployments place replicas there again.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        nodes.MapPost("/drain", async (string name, NodeCordonDto? body, NodeCordoning cordoning, CancellationToken ct) =>
                NodeDrainDto.From(await cordoning.DrainAsync(name, body?.Reason, ct)))
            .WithName("DrainNode")
            .WithSummary("Cordons the node, then starts, for each service with a replica there, a deployment of its current release that keeps replicasPerNode on each "
                + "other eligible node and retires the node's replicas (out of rotation, drained, stopped) once those run. Returns the deployments started and the services not moved.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}

/// <summary>Why a node is cordoned or drained, shown beside it.</summary>
/// <param name="Reason">Up to 500 characters; optional.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record NodeCordonDto(string? Reason = null);

/// <summary>Whether a node takes new replicas, and why not.</summary>
/// <param name="AvailabilityReason">Who cordoned it and why, or what Consul reported.</param>
/// <param name="Conflict">Another source names a node of the same name; this one won.</param>
public sealed record NodeAvailabilityDto(string Name, NodeAvailability Availability, string? AvailabilityReason, string? Conflict, NodeOrigin Origin)
{
    public static NodeAvailabilityDto From(NodeDefinition n) => new(n.Name, n.Availability, n.AvailabilityReason, n.Conflict, n.Origin);
}

/// <summary>What a drain started; follow each deployment at /api/deployments/{id}.</summary>
/// <param name="Skipped">Services with a replica on the node that were not moved, each with the reason; their replicas stay.</param>
public sealed record NodeDrainDto(string Node, IReadOnlyList<Deployment> Deployments, IReadOnlyList<NodeDrainSkip> Skipped)
{
    public static NodeDrainDto From(NodeDrain d) => new(d.Node, d.Started, d.Skipped);
}
