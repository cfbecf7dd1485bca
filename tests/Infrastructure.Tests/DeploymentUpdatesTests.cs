using ControlPanel.Core.Audit;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Services;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>Following a deployment stored in a real SQLite database, on a clock the test moves; reads are counted.</summary>
public sealed class DeploymentUpdatesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly DeploymentChanges _changes = new(new ServiceChanges());
    private ProviderDatabases _databases = default!;
    private ObservedReleaseStore _store = default!;

    public async Task InitializeAsync()
    {
        _databases = await ProviderDatabases.CreateAsync();
        var contexts = _databases.Contexts("sqlite");
        await new DatabaseMigrator(contexts, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(default);
        _store = new ObservedReleaseStore(new EfReleaseStore(contexts));
    }

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Fact]
    public async Task ADeploymentRunHere_IsReadAgainOnlyWhenItChanges_AndTheStreamEndsWithItsOutcome()
    {
        var deployment = await StartAsync();
        _changes.Started(deployment);
        await using var follow = new DeploymentUpdates(_store, _changes, _time).FollowAsync(deployment.Id, default).GetAsyncEnumerator();

        Assert.True(await follow.MoveNextAsync());
        Assert.Empty(follow.Current.Steps);
        var next = follow.MoveNextAsync().AsTask();
        await Until(() => _store.DeploymentReads == 1);
        await AdvanceAsync(next, 10 * DeploymentUpdates.FallbackPoll); // quiet: no re-read however long
        Assert.False(next.IsCompleted);
        Assert.Equal(1, _store.DeploymentReads);

        await _store.AddStepAsync(deployment.Id, Step(DeploymentStepAction.Pull), default);
        await _store.AddStepAsync(deployment.Id, Step(DeploymentStepAction.Pull), default);
        _changes.Changed(deployment.Id);
        _changes.Changed(deployment.Id);
        await AdvanceAsync(next, DeploymentUpdates.BatchWindow);
        Assert.True(await next);
        Assert.Equal(2, follow.Current.Steps.Count); // both changes in one read
        Assert.Equal(2, _store.DeploymentReads);

        next = follow.MoveNextAsync().AsTask();
        await _store.FinishDeploymentAsync(deployment.Id, DeploymentStatus.Succeeded, null, _time.GetUtcNow(), default);
        _changes.Ended(deployment.Id, deployment.Service);
        await AdvanceAsync(next, DeploymentUpdates.BatchWindow);
        Assert.True(await next);
        Assert.Equal(DeploymentStatus.Succeeded, follow.Current.Status);
        Assert.False(await follow.MoveNextAsync());
        Assert.Equal(3, _store.DeploymentReads);
    }

    [Fact]
    public async Task ADeploymentRunByAnotherInstance_IsReReadEveryFallbackPoll_AndOnlyChangesAreYielded()
    {
        var deployment = await StartAsync(); // stored, but no runner here signals it
        await using var follow = new DeploymentUpdates(_store, _changes, _time).FollowAsync(deployment.Id, default).GetAsyncEnumerator();
        Assert.True(await follow.MoveNextAsync());

        var next = follow.MoveNextAsync().AsTask();
        await AdvanceAsync(next, DeploymentUpdates.FallbackPoll, until: () => _store.DeploymentReads >= 3);
        Assert.False(next.IsCompleted); // re-read, unchanged: nothing new to yield

        await _store.FinishDeploymentAsync(deployment.Id, DeploymentStatus.Failed, "node lost", _time.GetUtcNow(), default);
        await AdvanceAsync(next, DeploymentUpdates.FallbackPoll);
        Assert.True(await next);
        Assert.Equal(DeploymentStatus.Failed, follow.Current.Status);
        Assert.False(await follow.MoveNextAsync());
    }

    [Fact]
    public async Task AnUnknownDeployment_EndsTheStreamWithNotFound()
    {
        var follow = new DeploymentUpdates(_store, _changes, _time).FollowAsync(Guid.NewGuid(), default);

        await Assert.ThrowsAsync<DeploymentNotFoundException>(async () => await follow.GetAsyncEnumerator().MoveNextAsync());
    }

    private async Task<Deployment> StartAsync()
    {
        var deployment = new Deployment { Id = Guid.NewGuid(), Service = "api", Release = 1, StartedBy = "alice", StartedAt = _time.GetUtcNow() };
        await _store.StartDeploymentAsync(deployment,
            new AuditEntry { At = _time.GetUtcNow(), Actor = "alice", Action = "deployment.start", Target = "api", Succeeded = true, Duration = TimeSpan.Zero }, default);
        _store.ResetCounts();
        return deployment;
    }

    private DeploymentStep Step(DeploymentStepAction action) => new(0, "node1", null, action, _time.GetUtcNow(), null, "lab/api@sha256:0", null, null, null);

    /// <summary>Moves the clock by <paramref name="step"/> at a time (letting the follower run between) until it yields or the condition holds.</summary>
    private async Task AdvanceAsync(Task next, TimeSpan step, Func<bool>? until = null)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(30); elapsed += step)
        {
            if (next.IsCompleted || until?.Invoke() == true) return;
            _time.Advance(step);
            await Task.WhenAny(next, Task.Delay(20));
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
