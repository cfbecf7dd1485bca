using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>A deployment whose panel died mid-way: never "running" forever, no orphan, no capacity taken away.</summary>
public sealed class DeploymentHousekeepingTests : ApiTestBase
{
    [Fact]
    public async Task DeploymentOfAPanelThatStopped_IsMarkedInterrupted_ItsLockFreed_AndItsNeverStartedReplicaRemoved()
    {
        var service = "orphans-" + Guid.NewGuid().ToString("N")[..8];
        var store = Factory.Services.GetRequiredService<IReleaseStore>();
        var audit = new AuditEntry { At = DateTimeOffset.UtcNow, Actor = "tests", Action = "deployment.start", Target = service, Succeeded = true, Duration = TimeSpan.Zero };
        var dead = new Deployment { Id = Guid.NewGuid(), Service = service, Release = 2, PreviousRelease = 1, StartedBy = "a panel that died", StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10) };
        await store.StartDeploymentAsync(dead, audit, default);
        var node = Lab.SharedNodes[0];
        var labels = new Dictionary<string, string> { [ReplicaLabels.Service] = service, [ReplicaLabels.Deployment] = dead.Id.ToString(), [ReplicaLabels.Slot] = "0" };
        var neverStarted = await Containers.RunAsync(node, "sigquit", "orphan", labels: labels, start: false);
        var started = await Containers.RunAsync(node, "sigquit", "started", labels: labels);
        var fresh = dead with { Id = Guid.NewGuid(), Service = service + "-live", StartedAt = DateTimeOffset.UtcNow };
        await store.StartDeploymentAsync(fresh, audit with { Target = fresh.Service }, default);

        var marked = await Factory.Services.GetRequiredService<DeploymentRunner>().MarkAbandonedAsync(Lab.SharedNodes, default);

        Assert.Equal(dead.Id, Assert.Single(marked).Id);
        var after = await store.FindDeploymentAsync(dead.Id, default);
        Assert.Equal(DeploymentStatus.Interrupted, after!.Status);
        Assert.Contains(after.Steps, s => s.Action == DeploymentStepAction.RemoveOrphan && s.ContainerId == neverStarted);
        Assert.Null(await Factory.Services.GetRequiredService<IContainerEngine>().FindContainerAsync(node, neverStarted, default));
        Assert.Equal(ContainerState.Running, (await Factory.Services.GetRequiredService<IContainerEngine>().FindContainerAsync(node, started, default))!.State);
        Assert.Equal(DeploymentStatus.Running, (await store.FindDeploymentAsync(fresh.Id, default))!.Status); // a live one is left alone
        await store.StartDeploymentAsync(dead with { Id = Guid.NewGuid(), StartedAt = DateTimeOffset.UtcNow }, audit, default); // the lock is free again
    }
}
