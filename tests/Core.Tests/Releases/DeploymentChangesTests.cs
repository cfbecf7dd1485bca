using ControlPanel.Core.Releases;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Tests.Releases;

public sealed class DeploymentChangesTests
{
    private readonly ServiceChanges _services = new();
    private readonly Guid _deployment = Guid.NewGuid();

    [Fact]
    public void AChangeStoredBetweenTakingNextAndWaiting_HasAlreadyHappened_AndTheNextChangeIsANewOne()
    {
        var changes = new DeploymentChanges(_services);
        var next = changes.Next(_deployment);

        changes.Changed(_deployment); // stored while the follower was still reading

        Assert.True(next.IsCompletedSuccessfully);
        Assert.False(changes.Next(_deployment).IsCompleted);
    }

    [Fact]
    public async Task EveryFollowerOfTheDeployment_IsWokenByOneChange_AndAnotherDeploymentsChangeWakesNone()
    {
        var changes = new DeploymentChanges(_services);
        var waits = Enumerable.Range(0, 3).Select(_ => changes.Next(_deployment)).ToList();

        changes.Changed(Guid.NewGuid());
        Assert.All(waits, w => Assert.False(w.IsCompleted));
        changes.Changed(_deployment);

        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10)); // every wait ended without throwing, or this throws
    }

    [Fact]
    public async Task StartAndEnd_AreToldToEveryServicesSubscriber_AndEndWakesTheDeploymentsFollowers()
    {
        var changes = new DeploymentChanges(_services);
        using var first = _services.Subscribe();
        using var second = _services.Subscribe();
        var deployment = new Deployment { Id = _deployment, Service = "api", Release = 2, StartedBy = "alice", StartedAt = DateTimeOffset.UtcNow };

        changes.Started(deployment);
        Assert.True(changes.IsRunningHere(_deployment));
        var follower = changes.Next(_deployment);
        changes.Ended(_deployment, "api");

        Assert.False(changes.IsRunningHere(_deployment));
        Assert.True(follower.IsCompletedSuccessfully);
        foreach (var subscription in new[] { first, second })
        {
            Assert.Equal(new ServiceChange("api", ServiceChangeKind.DeploymentStarted), await subscription.Changes.ReadAsync());
            Assert.Equal(new ServiceChange("api", ServiceChangeKind.DeploymentEnded), await subscription.Changes.ReadAsync());
        }
    }
}
