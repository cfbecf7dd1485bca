using ControlPanel.Core.Releases;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Core.Tests.Releases;

public sealed class DeploymentChangesTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Guid _deployment = Guid.NewGuid();

    [Fact]
    public async Task AChangeStoredBetweenTakingNextAndWaiting_WakesTheWaitAtOnce()
    {
        var changes = new DeploymentChanges(_time);
        var next = changes.Next(_deployment);

        changes.Changed(_deployment); // stored while the follower was still reading
        var wait = changes.WaitAsync(next, CancellationToken.None);

        Assert.True(wait.IsCompletedSuccessfully);
        await wait;
        Assert.False(changes.Next(_deployment).IsCompleted); // the next change is a new one
    }

    [Fact]
    public async Task AQuietDeployment_IsReReadAfterTheFallbackPoll_AndAnotherDeploymentsChangeDoesNotWakeIt()
    {
        var changes = new DeploymentChanges(_time);
        var wait = changes.WaitAsync(changes.Next(_deployment), CancellationToken.None);

        changes.Changed(Guid.NewGuid());
        _time.Advance(DeploymentChanges.FallbackPoll - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10)); // completes without throwing (a timeout is just a re-read): a fault or cancellation would throw here
    }

    [Fact]
    public async Task EveryFollowerOfTheDeployment_IsWokenByOneChange()
    {
        var changes = new DeploymentChanges(_time);
        var waits = Enumerable.Range(0, 3).Select(_ => changes.WaitAsync(changes.Next(_deployment), CancellationToken.None)).ToList();

        changes.Changed(_deployment);

        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10)); // every wait ended without throwing, or this throws
    }
}
