using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class ContainersEndpoints
{
    public static IEndpointRouteBuilder MapContainersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Containers").ProducesAuthProblems();

        api.MapGet("/containers", async (string? text, string? node, string? state, string? label, string? sort, bool? desc, FleetService fleet, CancellationToken ct) =>
            {
                var filter = new ContainerFilter { Text = text, Node = node, State = ParseEnum<ContainerState>(state, "state"), Label = label };
                var sortKey = ParseEnum<ContainerSortKey>(sort, "sort") ?? ContainerSortKey.Node;
                var result = await fleet.ListContainersAsync(filter, ct);
                var rows = ContainerSort.Apply(result.Containers, sortKey, desc ?? false).ToList();
                return new ContainerListDto(rows.Count, rows, result.Failures);
            })
            .WithName("ListContainers")
            .WithSummary("Containers on every node (stopped ones too), filtered and sorted; nodes that did not answer are listed under failures.")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .RequireAuthorization(Policies.ViewFleet);

        var one = api.MapGroup("/nodes/{node}/containers/{id}");
        one.MapGet("/", (string node, string id, FleetService fleet, CancellationToken ct) => fleet.GetContainerAsync(node, id, ct))
            .WithName("GetContainer")
            .WithSummary("Inspect one container; secret-looking environment values are masked.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(Policies.ViewFleet);

        foreach (var action in new[] { ContainerAction.Start, ContainerAction.Stop, ContainerAction.Restart, ContainerAction.Kill })
        {
            one.MapPost("/" + action.ToString().ToLowerInvariant(), (string node, string id, string? timeout, string? signal, ContainerActionService actions, CancellationToken ct) =>
                    actions.RunAsync(node, id, new ContainerActionRequest(action, ParseTimeout(timeout), signal), ct))
                .WithName($"{action}Container")
                .WithSummary($"{action} the container. stop/restart take ?timeout=seconds; kill takes ?signal=SIGQUIT.")
                .ProducesProblems(EngineActionProblems)
                .RequireAuthorization(Policies.OperateContainers);
        }

        one.MapDelete("/", (string node, string id, bool? force, ContainerActionService actions, CancellationToken ct) =>
                actions.RunAsync(node, id, new ContainerActionRequest(ContainerAction.Remove, Force: force ?? false), ct))
            .WithName("RemoveContainer")
            .WithSummary("Remove the container; ?force=true also removes a running one.")
            .ProducesProblems(EngineActionProblems)
            .RequireAuthorization(Policies.OperateContainers);
        return app;
    }

    private static readonly int[] EngineActionProblems =
        [StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable];

    private static int? ParseTimeout(string? value) =>
        value is null ? null
        : int.TryParse(value, out var seconds) ? seconds
        : throw new InvalidRequestException("timeout", $"'timeout' must be a whole number of seconds; got '{value}'.");

    private static T? ParseEnum<T>(string? value, string field) where T : struct, Enum =>
        string.IsNullOrEmpty(value) ? null
        : Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _) ? parsed
        : throw new InvalidRequestException(field, $"'{field}' must be one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}; got '{value}'.");
}

/// <summary>The fleet's containers after filtering and sorting.</summary>
/// <param name="Count">How many containers are listed.</param>
/// <param name="Containers">The containers, in the order asked for.</param>
/// <param name="Failures">Nodes that did not answer, with why: their containers are missing from the list.</param>
public sealed record ContainerListDto(int Count, IReadOnlyList<ContainerSummary> Containers, IReadOnlyList<NodeFailure> Failures);
