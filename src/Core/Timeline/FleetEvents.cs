using System.Threading.Channels;

namespace ControlPanel.Core.Timeline;

/// <summary>
/// The in-process stream of stored <see cref="FleetEvent"/>s: the timeline's recorder publishes each entry once it
/// is stored (and again when a folded entry's count grows), and alerting subscribes. A subscriber that falls behind
/// loses its oldest entries rather than slowing the recorder.
/// </summary>
public sealed class FleetEvents
{
    private const int SubscriberCapacity = 1024;
    private readonly Lock _gate = new();
    private readonly List<Channel<FleetEvent>> _subscribers = [];

    public void Publish(FleetEvent entry)
    {
        lock (_gate)
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryWrite(entry);
    }

    /// <summary>Every entry published from now until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<FleetEvent> SubscribeAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<FleetEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate) _subscribers.Add(channel);
        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken))
                yield return entry;
        }
        finally
        {
            lock (_gate) _subscribers.Remove(channel);
        }
    }
}
