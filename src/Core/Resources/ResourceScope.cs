namespace ControlPanel.Core.Resources;

/// <summary>What a chart or a history query is about: one container, all containers of a node, or a service's replicas.</summary>
public abstract record ResourceScope
{
    private ResourceScope() { }

    /// <param name="NodeName">The node the container runs on.</param>
    /// <param name="Id">The container's full id.</param>
    public sealed record Container(string NodeName, string Id) : ResourceScope;

    public sealed record Node(string Name) : ResourceScope;

    /// <summary>Every replica of the service (by its <c>controlpanel.service</c> label), on every node.</summary>
    public sealed record Service(string Name) : ResourceScope;
}

/// <summary>The history ranges the charts offer; what resolution each gets is the store's choice.</summary>
public enum HistoryRange
{
    FifteenMinutes,
    OneHour,
    OneDay,
}
