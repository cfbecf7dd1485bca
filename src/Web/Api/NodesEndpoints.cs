using ControlPanel.Core.Fleet;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class NodesEndpoints
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(Policies.ViewFleet).ProducesAuthProblems();

        nodes.MapGet("/", async (FleetService fleet, CancellationToken ct) => (await fleet.GetNodeStatusesAsync(ct)).Select(NodeDto.From))
            .WithName("ListNodes")
            .WithSummary("Every node with its status, engine facts and container counts.");

        nodes.MapGet("/{node}", async (string node, FleetService fleet, CancellationToken ct) =>
            {
                var overview = await fleet.GetNodeOverviewAsync(node, ct);
                return new NodeOverviewDto(NodeDto.From(overview.Status), overview.Containers, overview.Images);
            })
            .WithName("GetNode")
            .WithSummary("One node: status, containers and images.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}

/// <summary>One node with what runs on it.</summary>
/// <param name="Node">Its status and engine facts.</param>
/// <param name="Containers">Its containers, stopped ones too.</param>
/// <param name="Images">The images its engine holds.</param>
public sealed record NodeOverviewDto(NodeDto Node, IReadOnlyList<ContainerSummary> Containers, IReadOnlyList<ImageSummary> Images);

/// <summary>API shape of a node; the TLS folder path is configuration, not something clients need.</summary>
/// <param name="Error">Why the node could not be reached, when it could not.</param>
/// <param name="RoundTripMs">How long the engine took to answer, in milliseconds.</param>
/// <param name="Engine">The engine's version and facts; null when it did not answer.</param>
/// <param name="InsecureTransport">True when the panel reaches the engine over plain TCP without TLS.</param>
/// <param name="Origin">Where the panel learned of the node: configuration, its own database (editable by an Admin) or Consul's catalog.</param>
/// <param name="Availability">Whether it takes new replicas (active), or why not (cordoned, critical, left).</param>
/// <param name="AvailabilityReason">The reason, in words, when it is not active.</param>
/// <param name="Conflict">Another source names a node of the same name, which this one overrides.</param>
/// <param name="Certificate">The client certificate of a stored node (never the key itself); null otherwise.</param>
public sealed record NodeDto(string Name, string Endpoint, IReadOnlyDictionary<string, string> Labels, NodeReachability Status, string? Error, double? RoundTripMs, EngineInfo? Engine, bool InsecureTransport,
    NodeOrigin Origin, NodeAvailability Availability, string? AvailabilityReason, string? Conflict, StoredCertificateDto? Certificate)
{
    public static NodeDto From(NodeStatus s) => new(s.Node.Name, s.Node.Endpoint, s.Node.Labels, s.Reachability, s.Error, s.RoundTrip?.TotalMilliseconds, s.Engine, s.Node.IsInsecure,
        s.Node.Origin, s.Node.Availability, s.Node.AvailabilityReason, s.Node.Conflict,
        s.Node.Tls?.Stored is { } stored ? new StoredCertificateDto(stored.Subject, stored.NotAfter, true) : null);
}

/// <summary>What shows which certificate a stored node uses, without any of its secrets.</summary>
/// <param name="KeyStored">Always true: the private key is stored, encrypted, and never returned.</param>
public sealed record StoredCertificateDto(string Subject, DateTimeOffset NotAfter, bool KeyStored);
