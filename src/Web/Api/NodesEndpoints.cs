using ControlPanel.Core.Fleet;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class NodesEndpoints
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(Policies.ViewFleet);

        nodes.MapGet("/", async (FleetService fleet, CancellationToken ct) => (await fleet.GetNodeStatusesAsync(ct)).Select(NodeDto.From))
            .WithSummary("Every node with its status, engine facts and container counts.");

        nodes.MapGet("/{node}", async (string node, FleetService fleet, CancellationToken ct) =>
            {
                var overview = await fleet.GetNodeOverviewAsync(node, ct);
                return new { node = NodeDto.From(overview.Status), containers = overview.Containers, images = overview.Images };
            })
            .WithSummary("One node: status, containers and images.");
        return app;
    }
}

/// <summary>API shape of a node; the TLS folder path is configuration, not something clients need.</summary>
public sealed record NodeDto(string Name, string Endpoint, IReadOnlyDictionary<string, string> Labels, NodeReachability Status, string? Error, double? RoundTripMs, EngineInfo? Engine, bool InsecureTransport)
{
    public static NodeDto From(NodeStatus s) => new(s.Node.Name, s.Node.Endpoint, s.Node.Labels, s.Reachability, s.Error, s.RoundTrip?.TotalMilliseconds, s.Engine, s.Node.IsInsecure);
}
