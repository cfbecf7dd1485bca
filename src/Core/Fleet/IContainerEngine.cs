namespace ControlPanel.Core.Fleet;

/// <summary>
/// The Docker Engine operations the panel uses, addressed by node. Implementations throw
/// <see cref="Common.ContainerNotFoundException"/> for unknown containers, <see cref="Common.EngineUnavailableException"/>
/// when the node cannot be reached and <see cref="Common.EngineRefusedException"/> when the engine says no.
/// </summary>
public interface IContainerEngine
{
    Task<EngineInfo> GetInfoAsync(NodeDefinition node, CancellationToken cancellationToken);

    /// <summary>All containers on the node, stopped ones included.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(NodeDefinition node, CancellationToken cancellationToken);

    /// <summary>The container with this id (or id prefix, or name), or null when the node has none.</summary>
    Task<ContainerSummary?> FindContainerAsync(NodeDefinition node, string idOrName, CancellationToken cancellationToken);

    Task<ContainerDetails> InspectContainerAsync(NodeDefinition node, string idOrName, CancellationToken cancellationToken);

    Task<IReadOnlyList<ImageSummary>> ListImagesAsync(NodeDefinition node, CancellationToken cancellationToken);

    Task StartAsync(NodeDefinition node, string id, CancellationToken cancellationToken);

    /// <summary>Stops with the container's own stop signal, then SIGKILL after <paramref name="timeout"/> (null: the container's own timeout).</summary>
    Task StopAsync(NodeDefinition node, string id, TimeSpan? timeout, CancellationToken cancellationToken);

    Task RestartAsync(NodeDefinition node, string id, TimeSpan? timeout, CancellationToken cancellationToken);

    Task KillAsync(NodeDefinition node, string id, string signal, CancellationToken cancellationToken);

    Task RemoveAsync(NodeDefinition node, string id, bool force, CancellationToken cancellationToken);

    /// <summary>
    /// The node's container and image events from now on. The stream ends only when
    /// <paramref name="cancellationToken"/> is cancelled; a broken connection surfaces as an exception.
    /// </summary>
    IAsyncEnumerable<EngineEvent> WatchEventsAsync(NodeDefinition node, CancellationToken cancellationToken);
}

/// <summary>An image on a node, for the node page's disk use.</summary>
public sealed record ImageSummary(string Id, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests, long SizeBytes, DateTimeOffset Created, int Containers);

/// <summary>One event from a node's Docker events stream.</summary>
/// <param name="Type">"container" or "image".</param>
/// <param name="Action">The engine's action, e.g. start, die, health_status: healthy, destroy.</param>
public sealed record EngineEvent(string Node, string Type, string Action, string ActorId, DateTimeOffset Time);
