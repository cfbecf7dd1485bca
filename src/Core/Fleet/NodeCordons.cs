using ControlPanel.Core.Audit;

namespace ControlPanel.Core.Fleet;

/// <summary>An Admin's cordon of a node: no new replicas go there until it is lifted; what runs stays.</summary>
/// <param name="Node">The node's name, whatever its origin (a cordon outlives a node that leaves and comes back).</param>
/// <param name="Reason">What the Admin wrote, if anything.</param>
public sealed record NodeCordon(string Node, string By, DateTimeOffset At, string? Reason)
{
    public const int MaxReasonLength = 500;

    /// <summary>The words shown beside the node.</summary>
    public string Describe() => $"cordoned by {By} at {At.UtcDateTime:yyyy-MM-dd HH:mm} UTC" + (Reason is { Length: > 0 } why ? $": {why}" : "");
}

/// <summary>
/// Stores cordons, each with its audit entry in one transaction. The implementation is also the
/// <see cref="INodeCordons"/> the directory reads, and raises its Changed after each write.
/// </summary>
public interface INodeCordonStore
{
    /// <summary>The cordon of the node, or null.</summary>
    NodeCordon? Find(string node);

    /// <summary>Cordons the node, or replaces its cordon's reason.</summary>
    Task CordonAsync(NodeCordon cordon, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Lifts the node's cordon; false (and nothing stored) when it had none.</summary>
    Task<bool> UncordonAsync(string node, AuditEntry audit, CancellationToken cancellationToken);
}
