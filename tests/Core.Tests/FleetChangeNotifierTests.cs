using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Core.Tests;

public class FleetChangeNotifierTests
{
    private static FleetChangeNotifier Notifier(int capacity = 1_000) =>
        new(new FleetOptions { SubscriberQueueCapacity = capacity }, NullLogger<FleetChangeNotifier>.Instance);

    private static NodeStreamLost Change(int i) => new($"node{i}", "gone", TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Publish_ReachesEverySubscriber_UntilDisposed()
    {
        var notifier = Notifier();
        var first = new ConcurrentQueue<FleetChange>();
        var second = new ConcurrentQueue<FleetChange>();
        var s1 = notifier.Subscribe(c => { first.Enqueue(c); return Task.CompletedTask; });
        using var s2 = notifier.Subscribe(c => { second.Enqueue(c); return Task.CompletedTask; });

        notifier.Publish(Change(1));
        await WaitUntilAsync(() => first.Count == 1, "the first subscriber's change");
        s1.Dispose();
        notifier.Publish(Change(2));
        await WaitUntilAsync(() => second.Count == 2, "the second subscriber's changes");

        Assert.Single(first);
        Assert.Equal(["node1", "node2"], second.Select(c => c.Node));
        Assert.Equal(1, notifier.SubscriberCount);
    }

    [Fact]
    public async Task FailingSubscriber_DoesNotStopOthers()
    {
        var notifier = Notifier();
        var received = 0;
        using var bad = notifier.Subscribe(_ => throw new InvalidOperationException("boom"));
        using var good = notifier.Subscribe(_ => { Interlocked.Increment(ref received); return Task.CompletedTask; });

        notifier.Publish(Change(1));
        notifier.Publish(Change(2));

        await WaitUntilAsync(() => Volatile.Read(ref received) == 2, "both changes at the good subscriber");
    }

    [Fact]
    public async Task SlowSubscriber_DoesNotHoldFastOne_AndGetsAResyncMarkerInsteadOfABacklog()
    {
        const int capacity = 64, published = 10_000;
        var notifier = Notifier(capacity);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new ConcurrentQueue<FleetChange>();
        var fast = new ConcurrentQueue<FleetChange>();
        using var slowSubscription = notifier.Subscribe(async c => { slow.Enqueue(c); await gate.Task; });
        using var fastSubscription = notifier.Subscribe(c => { fast.Enqueue(c); return Task.CompletedTask; });

        // In runs the fast subscriber keeps up with; the slow one stays stuck on its first change throughout.
        for (var i = 0; i < published; i++)
        {
            notifier.Publish(Change(i));
            if (i % (capacity / 2) == 0) await WaitUntilAsync(() => fast.Count == i + 1, $"change {i} at the fast subscriber");
        }

        await WaitUntilAsync(() => fast.Count == published, "all changes at the fast subscriber");
        Assert.Equal(Enumerable.Range(0, published).Select(i => $"node{i}"), fast.Select(c => c.Node));
        Assert.Single(slow);
        Assert.DoesNotContain(fast, c => c is FleetChangesMissed);

        gate.SetResult();
        await WaitUntilAsync(() => slow.OfType<FleetChangesMissed>().Any() && slow.Last() is NodeStreamLost { Node: "node9999" } or FleetChangesMissed,
            "the slow subscriber to catch up");
        // The slow one got at most one queue's worth plus the change in hand, and a marker for the rest: nothing is lost uncounted.
        Assert.True(slow.Count <= capacity + 1, $"the slow subscriber got {slow.Count} deliveries, more than its queue holds");
        var dropped = slow.OfType<FleetChangesMissed>().Sum(m => m.Dropped);
        Assert.Equal(published, slow.Count(c => c is NodeStreamLost) + dropped);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(1);
        }
    }
}
