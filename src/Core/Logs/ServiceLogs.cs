using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Logs;

/// <summary>
/// Merged live logs by what they are: a service's replicas on every node (found by the panel's replica labels, so
/// the view follows a deployment's new replicas and lets removed ones go), or a fixed list of containers.
/// </summary>
public sealed class ServiceLogs(LogFollowers followers, FleetState state, FleetService fleet, FleetChangeNotifier changes, ILogger<ServiceLogs> logger)
{
    /// <summary>Lines shown of a replica that joins while the view is open: its whole (short) log so far, up to the followers' ring.</summary>
    private const int JoinTail = 1_000;

    /// <summary>
    /// A feed over the containers ("node/container" each); it ends when all of them have. Throws as
    /// <see cref="LogFollowers.SubscribeAsync"/> does for the first that cannot be followed (none is then).
    /// </summary>
    public async Task<LogFeed> FollowContainersAsync(IReadOnlyList<ContainerRef> containers, int tail, Func<IDisposable> reserve, CancellationToken cancellationToken,
        int capacity = LogFollowers.DefaultQueueCapacity)
    {
        var feed = new LogFeed(followers, state, capacity);
        try
        {
            foreach (var (node, container) in containers) await feed.AddAsync(node, container, tail, reserve, cancellationToken);
            feed.Seal();
            return feed;
        }
        catch
        {
            feed.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A feed over the service's replicas on every node, first with up to <paramref name="tail"/> recent lines of each;
    /// it adds and drops replicas as the fleet changes, until disposed. A replica that cannot be followed is named in a
    /// note; the others go on.
    /// </summary>
    public LogFeed FollowService(string service, int tail, Func<IDisposable> reserve, int capacity = LogFollowers.DefaultQueueCapacity)
    {
        var feed = new LogFeed(followers, state, capacity);
        var sync = new SemaphoreSlim(1, 1);
        var closed = new CancellationTokenSource();
        var firstTail = tail;
        async Task SyncAsync()
        {
            await sync.WaitAsync(closed.Token);
            try
            {
                var wanted = ServiceReplicaSelection.Wanted(fleet.Nodes.Select(n => state.Find(n.Name)), service);
                var followed = feed.Sources.Select(s => (s.Node, s.ContainerId));
                var (add, drop) = ServiceReplicaSelection.Diff(wanted, followed, node => state.Find(node)?.StaleBecause is not null);
                foreach (var (node, id) in drop) Left(feed, node, id);
                foreach (var c in add.Where(c => !feed.IsFollowing(c.Node, c.Id)))
                {
                    try
                    {
                        var source = await feed.AddAsync(c.Node, c.Id, firstTail, reserve, closed.Token);
                        if (firstTail == JoinTail) feed.Note($"{source.Label} joined ({source.Title}).");
                    }
                    catch (ControlPanelException ex) when (ex is not ContainerNotFoundException)
                    {
                        feed.Note($"Not following {c.Node}/{c.Name}: {ex.Message}");
                    }
                    catch (ContainerNotFoundException)
                    {
                        // Removed between the fleet's word and the subscribe: nothing to follow.
                    }
                }
            }
            finally
            {
                sync.Release();
            }
        }
        async Task OnChangeAsync(FleetChange change)
        {
            if (change is ContainerChanged c && c.Container?.Labels.GetValueOrDefault(Releases.ReplicaLabels.Service) != service && !feed.IsFollowing(c.Node, c.Id)) return;
            try
            {
                await SyncAsync();
            }
            catch (OperationCanceledException) when (closed.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The log view of service {Service} could not follow a fleet change", service);
            }
        }
        // Listen first, then read the state: a replica started in between is seen by one or the other.
        var subscription = changes.Subscribe(OnChangeAsync);
        feed.Own(new Closer(closed, subscription));
        _ = Task.Run(async () =>
        {
            await OnChangeAsync(new FleetChangesMissed(0)); // the replicas running now
            firstTail = JoinTail; // later ones are new: all they wrote
        });
        return feed;
    }

    private static void Left(LogFeed feed, string node, string id)
    {
        var source = feed.Sources.FirstOrDefault(s => s.Node == node && s.ContainerId == id);
        feed.Drop(node, id);
        if (source is not null) feed.Note($"{source.Label} left ({source.Title}).");
    }

    private sealed class Closer(CancellationTokenSource closed, IDisposable subscription) : IDisposable
    {
        public void Dispose()
        {
            subscription.Dispose();
            closed.Cancel();
        }
    }
}
