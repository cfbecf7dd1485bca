using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Core.Tests;

public class FleetChangeNotifierTests
{
    [Fact]
    public async Task Publish_ReachesEverySubscriber_UntilDisposed()
    {
        var notifier = new FleetChangeNotifier(NullLogger<FleetChangeNotifier>.Instance);
        var first = new List<FleetChange>();
        var second = new List<FleetChange>();
        var s1 = notifier.Subscribe(c => { first.Add(c); return Task.CompletedTask; });
        using var s2 = notifier.Subscribe(c => { second.Add(c); return Task.CompletedTask; });

        await notifier.PublishAsync(new NodeStreamLost("node1", "gone", TimeSpan.FromSeconds(1)));
        s1.Dispose();
        await notifier.PublishAsync(new NodeStreamLost("node2", "gone", TimeSpan.FromSeconds(1)));

        Assert.Single(first);
        Assert.Equal(2, second.Count);
        Assert.Equal(1, notifier.SubscriberCount);
    }

    [Fact]
    public async Task FailingSubscriber_DoesNotStopOthers()
    {
        var notifier = new FleetChangeNotifier(NullLogger<FleetChangeNotifier>.Instance);
        var received = 0;
        using var bad = notifier.Subscribe(_ => throw new InvalidOperationException("boom"));
        using var good = notifier.Subscribe(_ => { received++; return Task.CompletedTask; });

        await notifier.PublishAsync(new NodeStreamLost("node1", "gone", TimeSpan.FromSeconds(1)));

        Assert.Equal(1, received);
    }
}
