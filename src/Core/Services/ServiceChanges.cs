using System.Threading.Channels;

namespace ControlPanel.Core.Services;

public enum ServiceChangeKind
{
    /// <summary>A service was created, changed or deleted: each is a new revision.</summary>
    Saved,
    BuildStarted,
    BuildEnded,
    DeploymentStarted,
    DeploymentEnded,
    /// <summary>A pipeline was queued, moved to its next stage, or ended.</summary>
    PipelineChanged,
}

/// <summary>Something a list of services shows changed for <paramref name="Service"/>.</summary>
public sealed record ServiceChange(string Service, ServiceChangeKind Kind);

/// <summary>
/// Tells open pages when a service is saved and when its builds and deployments start and end on this instance, so
/// they re-read what changed instead of polling. Each subscriber reads through a bounded channel of its own: one
/// slow page loses its own oldest changes, never holds another's. Changes made by another instance sharing the
/// database are not seen here.
/// </summary>
public sealed class ServiceChanges
{
    /// <summary>Changes kept for a subscriber that has not read them yet; beyond that the oldest go (a re-read covers them).</summary>
    public const int Backlog = 64;
    private readonly Lock _gate = new();
    private ChannelWriter<ServiceChange>[] _subscribers = [];

    public int SubscriberCount => _subscribers.Length;

    public void Publish(ServiceChange change)
    {
        foreach (var subscriber in _subscribers) subscriber.TryWrite(change);
    }

    /// <summary>Changes published from now on, until the subscription is disposed; subscribe before reading what it refreshes.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<ServiceChange>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate) _subscribers = [.. _subscribers, channel.Writer];
        return new Subscription(this, channel);
    }

    private void Unsubscribe(ChannelWriter<ServiceChange> writer)
    {
        lock (_gate) _subscribers = [.. _subscribers.Where(s => s != writer)];
    }

    public sealed class Subscription(ServiceChanges owner, Channel<ServiceChange> channel) : IDisposable
    {
        /// <summary>Completes when the subscription is disposed.</summary>
        public ChannelReader<ServiceChange> Changes => channel.Reader;

        public void Dispose()
        {
            owner.Unsubscribe(channel.Writer);
            channel.Writer.TryComplete();
        }
    }
}
