using ControlPanel.Core.Fleet;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

/// <summary>Nodes an Admin adds, changes and removes in the panel (stored in its database).</summary>
public static class NodeAdministrationEndpoints
{
    public static IEndpointRouteBuilder MapNodeAdministrationApi(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(Policies.Administer).ProducesAuthProblems();

        nodes.MapPost("/", async (NodeRequestDto body, NodeAdministration admin, FleetService fleet, CancellationToken ct) =>
            {
                var node = await admin.AddAsync(body.ToRequest(body.Name), ct);
                return Results.Created($"/api/nodes/{node.Name}", NodeDto.From(await fleet.GetNodeStatusAsync(node, ct)));
            })
            .WithName("AddNode")
            .WithSummary("Adds a node after a connection test; refused with the engine's own words when the test fails, and nothing is stored.")
            .Produces<NodeDto>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest);

        nodes.MapPut("/{name}", async (string name, NodeRequestDto body, NodeAdministration admin, FleetService fleet, CancellationToken ct) =>
                NodeDto.From(await fleet.GetNodeStatusAsync(await admin.UpdateAsync(name, body.ToRequest(name), ct), ct)))
            .WithName("UpdateNode")
            .WithSummary("Changes a stored node after a connection test. Omit all three PEMs to keep the stored certificates.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        nodes.MapDelete("/{name}", (string name, NodeAdministration admin, CancellationToken ct) => admin.RemoveAsync(name, ct))
            .WithName("RemoveNode")
            .WithSummary("Removes a stored node (its engine and containers are not touched); refused (409, naming the services) while it runs the panel's replicas. " +
                "A node that cannot be asked is removed; replicaCheck says which happened.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        nodes.MapPost("/test", (NodeRequestDto body, NodeAdministration admin, CancellationToken ct) => admin.TestAsync(body.ToRequest(body.Name), ct))
            .WithName("TestNode")
            .WithSummary("Checks a node's settings and asks its engine for its facts, without saving anything.")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return app;
    }
}

/// <summary>A node as an Admin describes it.</summary>
/// <param name="Name">Letters, digits, '.', '-' and '_' (1–64); on PUT, the route's name (renaming is refused).</param>
/// <param name="Endpoint">unix:///path/docker.sock, or tcp://host:port with TLS.</param>
/// <param name="CaPem">The CA that signed the engine's certificate (Docker's ca.pem).</param>
/// <param name="CertificatePem">The client certificate (cert.pem).</param>
/// <param name="KeyPem">The client certificate's private key (key.pem). Stored encrypted and never returned.</param>
/// <param name="AllowInsecureTcp">Accept tcp:// without TLS: anyone who can reach the port is root on the host.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record NodeRequestDto(string? Name, string Endpoint, IReadOnlyDictionary<string, string>? Labels = null,
    string? CaPem = null, string? CertificatePem = null, string? KeyPem = null, bool AllowInsecureTcp = false)
{
    public NodeRequest ToRequest(string? name) => new(name ?? "", Endpoint ?? "", Labels, CaPem, CertificatePem, KeyPem, AllowInsecureTcp);

    // The key must not reach a log through the record's generated ToString.
    public override string ToString() => $"{Name} {Endpoint}";
}
