using ControlPanel.Core.Services;

namespace ControlPanel.Core.Tests.Services;

public sealed class ServiceChangesTests
{
    [Fact]
    public void ASubscriberThatNeverReads_KeepsOnlyItsNewestBacklog_AndAnotherSubscriberGetsEveryChange()
    {
        var changes = new ServiceChanges();
        using var stuck = changes.Subscribe();
        using var reading = changes.Subscribe();
        var received = 0;

        for (var i = 0; i < 10 * ServiceChanges.Backlog; i++)
        {
            changes.Publish(new ServiceChange($"s{i}", ServiceChangeKind.Saved));
            while (reading.Changes.TryRead(out _)) received++;
        }

        Assert.Equal(10 * ServiceChanges.Backlog, received);
        Assert.Equal(ServiceChanges.Backlog, stuck.Changes.Count);
        Assert.True(stuck.Changes.TryRead(out var oldest));
        Assert.Equal($"s{9 * ServiceChanges.Backlog}", oldest.Service);
    }

    [Fact]
    public async Task ADisposedSubscription_IsToldNothingMore_AndItsReaderCompletes()
    {
        var changes = new ServiceChanges();
        var subscription = changes.Subscribe();

        subscription.Dispose();
        changes.Publish(new ServiceChange("api", ServiceChangeKind.BuildStarted));

        Assert.Equal(0, changes.SubscriberCount);
        Assert.False(await subscription.Changes.WaitToReadAsync());
    }
}
