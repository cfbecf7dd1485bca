using ControlPanel.Core.Common;

namespace ControlPanel.Core.Fleet;

/// <summary>A node whose replicas could not be read: its engine refused, failed or did not answer in time.</summary>
public sealed class NodeUnreadableException(string node, string why, Exception? inner)
    : ControlPanelException($"Node '{node}' could not be read: {why}", inner)
{
    public string Node { get; } = node;
    public string Why { get; } = why;
}

/// <summary>A service's replicas on several nodes, read in parallel, each node within a time limit.</summary>
public static class ServiceReplicaListing
{
    /// <summary>Each node with the service's replicas on it; throws <see cref="NodeUnreadableException"/> for the first node that cannot be read.</summary>
    public static async Task<IReadOnlyList<(NodeDefinition Node, IReadOnlyList<ContainerSummary> Replicas)>> ListAsync(
        IContainerEngine engine, IEnumerable<NodeDefinition> nodes, string service, TimeSpan limit, CancellationToken cancellationToken) =>
        await Task.WhenAll(nodes.Select(async node =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                return (node, await engine.ListServiceReplicasAsync(node, service, timeout.Token));
            }
            catch (Exception ex) when (ex is ControlPanelException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new NodeUnreadableException(node.Name, ex is ControlPanelException ? ex.Message : $"no answer within {limit.TotalSeconds:0} s", ex);
            }
        }));
}
