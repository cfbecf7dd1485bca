using ControlPanel.Core.Registries;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// The Docker Engine operations the panel uses (the fleet's views and actions, and the replicas a deployment
/// creates), addressed by node. Implementations throw
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

    /// <summary>Everything the container page shows, including the image's digests (a second engine call).</summary>
    Task<ContainerDetails> InspectContainerAsync(NodeDefinition node, string idOrName, CancellationToken cancellationToken);

    /// <summary>The lean inspect: state, health, start time and TTY flag, in one engine call (no image lookup).</summary>
    Task<ContainerStatus> InspectStatusAsync(NodeDefinition node, string idOrName, CancellationToken cancellationToken);

    /// <summary>The service's replicas on the node (any state), by label.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListServiceReplicasAsync(NodeDefinition node, string service, CancellationToken cancellationToken);

    /// <summary>Pulls an image by digest; throws <see cref="Common.EngineRefusedException"/> with the engine's message.</summary>
    Task PullAsync(NodeDefinition node, string image, RegistryCredentials? credentials, CancellationToken cancellationToken);

    /// <summary>Creates (does not start) the replica's container; returns its id.</summary>
    Task<string> CreateAsync(NodeDefinition node, ReplicaContainer replica, CancellationToken cancellationToken);

    Task<IReadOnlyList<ImageSummary>> ListImagesAsync(NodeDefinition node, CancellationToken cancellationToken);

    Task StartAsync(NodeDefinition node, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Stops with the container's own stop signal, then SIGKILL after <paramref name="timeout"/> (null: the container's own
    /// timeout). False when it was not running, so its exit code is not this stop's.
    /// </summary>
    Task<bool> StopAsync(NodeDefinition node, string id, TimeSpan? timeout, CancellationToken cancellationToken);

    Task RestartAsync(NodeDefinition node, string id, TimeSpan? timeout, CancellationToken cancellationToken);

    Task KillAsync(NodeDefinition node, string id, string signal, CancellationToken cancellationToken);

    Task RemoveAsync(NodeDefinition node, string id, bool force, CancellationToken cancellationToken);

    /// <summary>
    /// The node's container and image events from now on. The stream ends only when
    /// <paramref name="cancellationToken"/> is cancelled; a broken connection surfaces as an exception.
    /// Events wait in a queue of <see cref="FleetOptions.EventQueueCapacity"/>; a reader that falls further behind
    /// gets one <see cref="EngineEvent.IsMissed"/> event in place of the queued ones, and must re-list the node.
    /// </summary>
    IAsyncEnumerable<EngineEvent> WatchEventsAsync(NodeDefinition node, CancellationToken cancellationToken);
}

/// <summary>An image on a node, for the node page's disk use.</summary>
public sealed record ImageSummary(string Id, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests, long SizeBytes, DateTimeOffset Created, int Containers);

/// <summary>One event from a node's Docker events stream.</summary>
/// <param name="Type">"container" or "image".</param>
/// <param name="Action">The engine's action, e.g. start, die, health_status: healthy, destroy.</param>
public sealed record EngineEvent(string Node, string Type, string Action, string ActorId, DateTimeOffset Time)
{
    private const string MissedType = "missed";

    /// <summary>How many events this one replaces, when <see cref="IsMissed"/>.</summary>
    public int Dropped { get; init; }

    /// <summary>The engine's attributes of the event's actor: name, exitCode, signal, the container's labels...</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = NoAttributes;

    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();

    /// <summary>Not an engine event: the reader fell behind and <see cref="Dropped"/> events were dropped.</summary>
    public bool IsMissed => Type == MissedType;

    public static EngineEvent Missed(string node, int dropped) => new(node, MissedType, "", "", DateTimeOffset.UtcNow) { Dropped = dropped };
}
