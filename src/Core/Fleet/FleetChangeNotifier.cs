using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// Hands fleet changes to every subscriber (each open page, each hub connection). Subscribers get a
/// disposable subscription; a failing subscriber is logged and never affects the others.
/// </summary>
public sealed class FleetChangeNotifier(ILogger<FleetChangeNotifier> logger)
{
    private readonly Lock _gate = new();
    private ImmutableSubscribers _subscribers = new([]);

    public IDisposable Subscribe(Func<FleetChange, Task> handler)
    {
        lock (_gate) _subscribers = new([.. _subscribers.Handlers, handler]);
        return new Subscription(this, handler);
    }

    public async Task PublishAsync(FleetChange change)
    {
        foreach (var handler in _subscribers.Handlers)
        {
            try
            {
                await handler(change);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "A fleet change subscriber failed on {Change}", change.GetType().Name);
            }
        }
    }

    public int SubscriberCount => _subscribers.Handlers.Length;

    private void Unsubscribe(Func<FleetChange, Task> handler)
    {
        lock (_gate) _subscribers = new([.. _subscribers.Handlers.Where(h => h != handler)]);
    }

    // Replaced wholesale under the lock so publishing iterates a snapshot without locking.
    private sealed record ImmutableSubscribers(Func<FleetChange, Task>[] Handlers);

    private sealed class Subscription(FleetChangeNotifier owner, Func<FleetChange, Task> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
