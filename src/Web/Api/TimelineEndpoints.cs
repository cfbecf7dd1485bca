using ControlPanel.Core.Common;
using ControlPanel.Core.Timeline;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class TimelineEndpoints
{
    public static IEndpointRouteBuilder MapTimelineApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Timeline").RequireAuthorization(Policies.ViewFleet)
            .ProducesAuthProblems().ProducesProblems(StatusCodes.Status400BadRequest);
        api.MapGet("/services/{name}/timeline", (string name, [AsParameters] TimelineFilter filter, ITimeline timeline, CancellationToken ct) =>
                timeline.QueryAsync(filter.ToQuery() with { Service = name }, ct))
            .WithName("GetServiceTimeline")
            .WithSummary("What happened to the service's replicas and deployments, newest first; crash loops and health flaps are one entry with a count.");
        api.MapGet("/containers/{node}/{id}/timeline", (string node, string id, [AsParameters] TimelineFilter filter, ITimeline timeline, CancellationToken ct) =>
                timeline.QueryAsync(filter.ToQuery() with { Node = node, ContainerId = id }, ct))
            .WithName("GetContainerTimeline")
            .WithSummary("What happened to one container (by full id or id prefix), newest first.");
        api.MapGet("/nodes/{name}/timeline", (string name, [AsParameters] TimelineFilter filter, ITimeline timeline, CancellationToken ct) =>
                timeline.QueryAsync(filter.ToQuery() with { Node = name }, ct))
            .WithName("GetNodeTimeline")
            .WithSummary("What happened on one node, newest first: the engine unreachable and back, and its containers' events.");
        return app;
    }
}

/// <summary>Query-string filters of a timeline: kind is a comma-separated list of kinds, since an ISO 8601 time.</summary>
public sealed record TimelineFilter(string? Kind, DateTimeOffset? Since, int? Limit)
{
    public const int MaxLimit = 1000;

    public TimelineQuery ToQuery()
    {
        if (Limit is < 1 or > MaxLimit)
            throw new InvalidRequestException("limit", $"'limit' must be between 1 and {MaxLimit}; got {Limit}.");
        return new TimelineQuery { Kinds = ParseKinds(Kind), Since = Since, Limit = Limit ?? 200 };
    }

    /// <summary>"OomKilled,CrashLoop" to kinds; an unknown name is refused by name, with the known ones.</summary>
    public static IReadOnlyCollection<FleetEventKind>? ParseKinds(string? kinds)
    {
        if (string.IsNullOrWhiteSpace(kinds)) return null;
        var parsed = new HashSet<FleetEventKind>();
        foreach (var name in kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<FleetEventKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(name, out _))
                throw new InvalidRequestException("kind", $"Unknown timeline kind '{name}'. Known kinds: {string.Join(", ", Enum.GetNames<FleetEventKind>())}.");
            parsed.Add(kind);
        }
        return parsed;
    }
}
