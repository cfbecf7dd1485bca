using System.Collections.Concurrent;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Logs;

/// <summary>
/// One engine log stream per followed container, shared by every viewer of it (pages and hub clients).
/// Each follower keeps a small ring of recent lines so a viewer who joins late still starts with history.
/// </summary>
public sealed class LogFollowers(ILogSource source, FleetService fleet, FleetChangeNotifier changes, ILoggerFactory loggers)
{
    public const int DefaultQueueCapacity = 5_000;
    private readonly ConcurrentDictionary<(string Node, string Id), LogFollower> _followers = new();
    private readonly Lock _gate = new();

    /// <summary>Number of engine log streams open now (one per followed container).</summary>
    public int OpenStreams => _followers.Count;

    /// <summary>
    /// Follows the container; the subscription first holds up to <paramref name="tail"/> recent lines, and is returned
    /// once the engine's log stream is open.
    /// Throws ContainerNotFoundException / NodeNotFoundException before subscribing when either is unknown.
    /// </summary>
    public async Task<LogSubscription> SubscribeAsync(string nodeName, string containerId, int tail, CancellationToken cancellationToken, int capacity = DefaultQueueCapacity) =>
        (await JoinAsync(nodeName, containerId, tail, capacity, cancellationToken)).Subscription;

    /// <summary>As <see cref="SubscribeAsync"/>, with the container as inspected for it (its full id and name label the lines).</summary>
    internal async Task<(LogSubscription Subscription, ContainerStatus Container)> JoinAsync(string nodeName, string containerId, int tail, int capacity, CancellationToken cancellationToken)
    {
        var node = fleet.RequireNode(nodeName);
        var details = await fleet.GetContainerStatusAsync(nodeName, containerId, cancellationToken);
        LogFollower follower;
        LogSubscription subscription;
        lock (_gate)
        {
            follower = _followers.GetOrAdd((node.Name, details.Id), key =>
            {
                LogFollower? created = null;
                // Removes exactly this follower: by then a new viewer may have started a fresh one under the same key.
                created = new LogFollower(node, new FollowedContainer(key.Id, details.Name, details.Tty, details.StartedAt, details.FinishedAt), source, changes,
                    ct => InspectAsync(node.Name, key.Id, ct), loggers.CreateLogger<LogFollower>(), () => _followers.TryRemove(KeyValuePair.Create(key, created!)));
                return created;
            });
            subscription = follower.Join(tail, capacity, s => { lock (_gate) follower.Leave(s); });
        }
        try
        {
            // Only once the engine's stream is open is nothing the container writes after this returns missed.
            await follower.Opened.WaitAsync(cancellationToken);
            return (subscription, details);
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    private async Task<ContainerStatus?> InspectAsync(string node, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await fleet.GetContainerStatusAsync(node, id, cancellationToken);
        }
        catch (ContainerNotFoundException)
        {
            return null;
        }
    }
}
