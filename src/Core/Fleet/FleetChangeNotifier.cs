using ControlPanel.Core.Common;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Hands fleet changes to every subscriber (each open page, each log follower). Each subscriber gets its own
/// bounded queue, read by its own loop: publishing never waits, one slow subscriber never holds another's
/// updates, and one that falls too far behind gets a <see cref="FleetChangesMissed"/> in place of its backlog.
/// A failing handler is logged and never affects the others.
/// </summary>
public sealed class FleetChangeNotifier(FleetOptions options, ILogger<FleetChangeNotifier> logger)
{
    private readonly Lock _gate = new();
    private Subscription[] _subscribers = [];

    /// <summary>
    /// Calls <paramref name="handler"/> with each change published from now on, in order, one at a time, on a loop
    /// of its own. Disposing the subscription stops the loop after the change in hand.
    /// </summary>
    public IDisposable Subscribe(Func<FleetChange, Task> handler)
    {
        var subscription = new Subscription(this, handler, options.SubscriberQueueCapacity);
        lock (_gate) _subscribers = [.. _subscribers, subscription];
        subscription.Start();
        return subscription;
    }

    /// <summary>Queues the change for every subscriber; returns at once.</summary>
    public void Publish(FleetChange change)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.Queue.Write(change);
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate) _subscribers = [.. _subscribers.Where(s => s != subscription)];
    }

    private async Task DeliverAsync(Subscription subscription)
    {
        await foreach (var change in subscription.Queue.ReadAllAsync())
        {
            if (subscription.Disposed) return;
            if (change is FleetChangesMissed missed)
                logger.LogWarning("A fleet change subscriber fell behind; {Dropped} changes were replaced by a resync", missed.Dropped);
            try
            {
                await subscription.Handler(change);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "A fleet change subscriber failed on {Change}", change.GetType().Name);
            }
            catch (OperationCanceledException)
            {
                // The subscriber is going away; its loop ends when its queue is completed.
            }
        }
    }

    private sealed class Subscription(FleetChangeNotifier owner, Func<FleetChange, Task> handler, int capacity) : IDisposable
    {
        public ResyncQueue<FleetChange> Queue { get; } = new(capacity, dropped => new FleetChangesMissed(dropped));
        public Func<FleetChange, Task> Handler => handler;

        // Task.Run: the subscriber's first handler call must not run inline on the caller of Subscribe.
        public void Start() => _ = Task.Run(() => owner.DeliverAsync(this));

        private volatile bool _disposed;

        /// <summary>Checked before each delivery: a disposed page must not hear of changes still queued for it.</summary>
        public bool Disposed => _disposed;

        public void Dispose()
        {
            _disposed = true;
            owner.Unsubscribe(this);
            Queue.Complete();
        }
    }
}
