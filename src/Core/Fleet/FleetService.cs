using System.Diagnostics;
using System.Runtime.CompilerServices;
using ControlPanel.Core.Common;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Read side of the fleet: nodes and containers across every node, asked in parallel, each node
/// under its own timeout so a slow or dead node never holds up the others.
/// </summary>
public sealed class FleetService(
    INodeDirectory directory,
    IContainerEngine engine,
    ContainerFactsCache facts,
    FleetOptions options,
    ILogger<FleetService> logger)
{
    public IReadOnlyList<NodeDefinition> Nodes => directory.GetNodes();

    /// <summary>The node by name; throws <see cref="NodeNotFoundException"/> or, for a misconfigured node, <see cref="EngineUnavailableException"/>.</summary>
    public NodeDefinition RequireNode(string name)
    {
        var node = directory.Find(name) ?? throw new NodeNotFoundException(name);
        return node.IsUsable ? node : throw new EngineUnavailableException(name, node.ConfigurationError!);
    }

    public async Task<NodeStatus> GetNodeStatusAsync(NodeDefinition node, CancellationToken cancellationToken)
    {
        if (!node.IsUsable) return NodeStatus.Misconfigured(node);
        var clock = Stopwatch.StartNew();
        try
        {
            var info = await WithNodeTimeout(node, ct => engine.GetInfoAsync(node, ct), cancellationToken);
            return new NodeStatus(node, NodeReachability.Reachable, null, clock.Elapsed, info);
        }
        catch (ControlPanelException ex)
        {
            return NodeStatus.Unreachable(node, ex is EngineUnavailableException u ? u.Reason : ex.Message);
        }
    }

    /// <summary>Every node's status, yielded as each node answers. Ends when all nodes have answered or timed out.</summary>
    public IAsyncEnumerable<NodeStatus> StreamNodeStatusesAsync(CancellationToken cancellationToken) =>
        AsEachNodeAnswers(n => GetNodeStatusAsync(n, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<NodeStatus>> GetNodeStatusesAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(directory.GetNodes().Select(n => GetNodeStatusAsync(n, cancellationToken)));

    public async Task<NodeContainers> ListNodeContainersAsync(NodeDefinition node, CancellationToken cancellationToken)
    {
        if (!node.IsUsable) return new NodeContainers(node, [], node.ConfigurationError);
        try
        {
            var rows = await WithNodeTimeout(node, ct => engine.ListContainersAsync(node, ct), cancellationToken);
            return new NodeContainers(node, rows.Select(facts.Enrich).ToList(), null);
        }
        catch (ControlPanelException ex)
        {
            return new NodeContainers(node, [], ex is EngineUnavailableException u ? u.Reason : ex.Message);
        }
    }

    /// <summary>Asks every node at once and yields each answer as it comes.</summary>
    private async IAsyncEnumerable<T> AsEachNodeAnswers<T>(Func<NodeDefinition, Task<T>> ask, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var done in Task.WhenEach(directory.GetNodes().Select(ask)).WithCancellation(cancellationToken))
        {
            yield return await done;
        }
    }

    public async Task<FleetContainers> ListContainersAsync(ContainerFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Node is { Length: > 0 } only) RequireKnown(only);
        var nodes = directory.GetNodes().Where(n => filter.Node is not { Length: > 0 } || n.Name == filter.Node);
        var answers = await Task.WhenAll(nodes.Select(n => ListNodeContainersAsync(n, cancellationToken)));
        var rows = answers.SelectMany(a => a.Containers).Where(filter.Matches).ToList();
        var failures = answers.Where(a => !a.Succeeded).Select(a => new NodeFailure(a.Node.Name, a.Error!)).ToList();
        return new FleetContainers(rows, failures);
    }

    public Task<ContainerDetails> GetContainerAsync(string nodeName, string id, CancellationToken cancellationToken)
    {
        var node = RequireNode(nodeName);
        return WithNodeTimeout(node, ct => engine.InspectContainerAsync(node, id, ct), cancellationToken);
    }

    /// <summary>The lean inspect (state, start and end, TTY flag; no image lookup), for following a container's life and log.</summary>
    public Task<ContainerStatus> GetContainerStatusAsync(string nodeName, string id, CancellationToken cancellationToken)
    {
        var node = RequireNode(nodeName);
        return WithNodeTimeout(node, ct => engine.InspectStatusAsync(node, id, ct), cancellationToken);
    }

    public async Task<NodeOverview> GetNodeOverviewAsync(string nodeName, CancellationToken cancellationToken)
    {
        var node = directory.Find(nodeName) ?? throw new NodeNotFoundException(nodeName);
        var status = await GetNodeStatusAsync(node, cancellationToken);
        if (status.Reachability != NodeReachability.Reachable) return new NodeOverview(status, [], []);
        var containers = ListNodeContainersAsync(node, cancellationToken);
        var images = WithNodeTimeout(node, ct => engine.ListImagesAsync(node, ct), cancellationToken);
        return new NodeOverview(status, (await containers).Containers, await images);
    }

    private void RequireKnown(string name)
    {
        if (directory.Find(name) is null) throw new NodeNotFoundException(name);
    }

    /// <summary>Runs one engine call under the node timeout; a timeout becomes "unreachable", not a hang.</summary>
    public async Task<T> WithNodeTimeout<T>(NodeDefinition node, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.NodeTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Node {Node} did not answer within {Timeout}", node.Name, options.NodeTimeout);
            throw new EngineUnavailableException(node.Name, $"no answer within {options.NodeTimeout.TotalSeconds:0.#} s");
        }
    }
}
