namespace ControlPanel.Core.Fleet;

/// <summary>One node's answer to "list your containers": the rows, or why there are none.</summary>
public sealed record NodeContainers(NodeDefinition Node, IReadOnlyList<ContainerSummary> Containers, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>The fleet-wide container list: rows from nodes that answered, errors from those that did not.</summary>
public sealed record FleetContainers(IReadOnlyList<ContainerSummary> Containers, IReadOnlyList<NodeFailure> Failures);

public sealed record NodeFailure(string Node, string Error);

/// <summary>Everything the node page shows.</summary>
public sealed record NodeOverview(NodeStatus Status, IReadOnlyList<ContainerSummary> Containers, IReadOnlyList<ImageSummary> Images);
