using ControlPanel.Core.Releases;

namespace ControlPanel.Web.Tests.Consul;

/// <summary>A deployment that waits for Consul to report each new replica passing before it goes on.</summary>
public sealed class ConsulGateTests : ConsulDeployTestBase
{
    [Fact]
    public async Task WithTheGate_EachNewReplicaWaitsForConsulsTcpCheckToPass()
    {
        var release = await ReleaseGatedAsync("1");

        var deployment = Succeeded(await DeployAsync(release));

        Assert.Equal(3, deployment.Steps.Count(s => s.Action == DeploymentStepAction.Serving && !s.Failed));
        var entries = await CatalogAsync();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("passing", e.Checks.Single(c => c.ServiceID == e.Service.ID).Status));
    }

    [Fact]
    public async Task WithTheGate_ANodeConsulReportsCritical_FailsTheDeploymentAtTheGate()
    {
        Consul.SetCheck(TestSupport.Lab.SharedNodes[0].Name, "serfHealth", "critical", "Agent not live or unreachable");

        var deployment = await DeployAsync(await ReleaseGatedAsync("1"));

        Assert.NotEqual(DeploymentStatus.Succeeded, deployment.Status);
        var failed = Assert.Single(deployment.Steps, s => s.Failed && s.Action == DeploymentStepAction.Serving);
        Assert.Equal(TestSupport.Lab.SharedNodes[0].Name, failed.Node);
    }

    [Fact]
    public async Task ARollback_DeregistersTheNewReplicas_AndRegistersTheRestoredOnes()
    {
        Succeeded(await DeployAsync(await ReleaseGatedAsync("1", gate: false)));
        var third = TestSupport.Lab.SharedNodes[2].Name;
        Consul.SetCheck(third, "serfHealth", "critical", "Agent not live or unreachable");

        var deployment = await DeployAsync(await ReleaseGatedAsync("2"));

        Assert.Equal(DeploymentStatus.RolledBack, deployment.Status);
        var placed = deployment.Steps.Where(s => s.Action == DeploymentStepAction.Serving && !s.Failed).Select(s => s.ContainerId!).ToList();
        Assert.Equal(2, placed.Count);
        foreach (var id in placed)
            Assert.Contains(Consul.Calls, c => c.Path == $"/v1/agent/service/deregister/{IdOf(id)}");
        var entries = await CatalogAsync();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("1", e.Service.Meta["release"]));
        Assert.Equal((await ReplicasAsync()).Where(r => r.Container.State == "running").Select(r => IdOf(r.Container.ID)).Order(), entries.Select(e => e.Service.ID).Order());
    }

    private async Task<int> ReleaseGatedAsync(string tag, bool gate = true)
    {
        var runtime = PhpRuntime(new { gate });
        runtime["health"] = "Tcp";
        runtime.Remove("fastCgiProbe");
        runtime["tcpProbe"] = new { portName = "PORT" };
        runtime["update"] = new { monitorSeconds = 0, progressDeadlineSeconds = 8 };
        await SaveAsync(Service, "lab/php-fpm", runtime);
        return await ReleaseTagAsync(Service, tag);
    }
}
