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

    private async Task<int> ReleaseGatedAsync(string tag)
    {
        var runtime = PhpRuntime(new { gate = true });
        runtime["health"] = "Tcp";
        runtime.Remove("fastCgiProbe");
        runtime["tcpProbe"] = new { portName = "PORT" };
        runtime["update"] = new { monitorSeconds = 0, progressDeadlineSeconds = 8 };
        await SaveAsync(Service, "lab/php-fpm", runtime);
        return await ReleaseTagAsync(Service, tag);
    }
}
