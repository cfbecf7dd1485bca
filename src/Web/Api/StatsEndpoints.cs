using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

/// <summary>Resource use (CPU, memory, network, block I/O, PIDs): the latest reading and history, for anyone who may view the fleet.</summary>
public static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Resource use").RequireAuthorization(Policies.ViewFleet).ProducesAuthProblems();

        api.MapGet("/nodes/{node}/containers/{id}/stats", (string node, string id, string? range, FleetService fleet, IResourceUsage usage, CancellationToken ct) =>
            {
                fleet.RequireNode(node);
                return StatsAsync(usage, new ResourceScope.Container(node, id), range, ct);
            })
            .WithName("GetContainerStats")
            .WithSummary("One container's latest reading and its history over ?range=15m|1h|24h (default 15m); id is the full container id.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapGet("/nodes/{node}/stats", (string node, string? range, FleetService fleet, IResourceUsage usage, ResourceUsage samplers, CancellationToken ct) =>
            {
                fleet.RequireNode(node);
                return StatsAsync(usage, new ResourceScope.Node(node), range, ct, samplers.EngineTotals(node));
            })
            .WithName("GetNodeStats")
            .WithSummary("A node's containers summed, with the engine's CPU count and memory; history over ?range=15m|1h|24h.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapGet("/services/{name}/stats", (string name, string? range, IResourceUsage usage, CancellationToken ct) =>
                StatsAsync(usage, new ResourceScope.Service(name), range, ct))
            .WithName("GetServiceStats")
            .WithSummary("A service's replicas summed over every node; history over ?range=15m|1h|24h.")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        api.MapGet("/stats/top", (IResourceUsage usage) => usage.LatestOfAll()
                .OrderByDescending(u => u.Latest.CpuPercentOfHost)
                .Select(u => new ContainerUsageDto(u.Container.Node, u.Container.Id, u.Container.Name, u.Service, u.Latest))
                .ToList())
            .WithName("GetTopContainers")
            .WithSummary("The latest reading of every running container, busiest CPU first.");
        return app;
    }

    private static async Task<ResourceStatsDto> StatsAsync(IResourceUsage usage, ResourceScope scope, string? range, CancellationToken ct, (int Cpus, long MemoryBytes)? engine = null)
    {
        var history = await usage.HistoryAsync(scope, ParseRange(range), ct);
        return new ResourceStatsDto(usage.Latest(scope), history, engine?.Cpus, engine?.MemoryBytes);
    }

    internal static HistoryRange ParseRange(string? value) => value switch
    {
        null or "" or "15m" => HistoryRange.FifteenMinutes,
        "1h" => HistoryRange.OneHour,
        "24h" => HistoryRange.OneDay,
        _ => throw new InvalidRequestException("range", $"'range' must be one of 15m, 1h, 24h; got '{value}'."),
    };
}

/// <summary>Resource use of a container, node or service.</summary>
/// <param name="Latest">The latest reading; null before the first (a reading needs two of the engine's counters, up to 20 s).</param>
/// <param name="History">The readings over the range, oldest first: 10 s apart for the last hour, one per minute before.</param>
/// <param name="EngineCpus">For a node: the engine's CPU count.</param>
/// <param name="EngineMemoryBytes">For a node: the host's memory, as the engine reports it.</param>
public sealed record ResourceStatsDto(ResourceSample? Latest, IReadOnlyList<ResourceSample> History, int? EngineCpus, long? EngineMemoryBytes);

/// <summary>A running container with its latest reading.</summary>
/// <param name="Service">The service it is a replica of, or null.</param>
public sealed record ContainerUsageDto(string Node, string Id, string Name, string? Service, ResourceSample Latest);
