using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests.Consul;

/// <summary>Registrator's job, done by the panel: each deployed replica registered with its node's agent, and out before it stops.</summary>
public sealed class ConsulRegistrationTests : ConsulDeployTestBase
{
    [Fact]
    public async Task ARollingDeployment_RegistersEachNewReplicaOnceHealthy_AndDeregistersEachOldOneBeforeItsStop()
    {
        var first = Succeeded(await DeployAsync(await ReleasePhpAsync("1", new { tags = new[] { "php", "urlprefix-/" } })));
        var registered = await CatalogAsync();
        var running = (await ReplicasAsync()).Where(r => r.Container.State == "running").ToList();
        Assert.Equal(3, registered.Count);
        Assert.Equal(running.Select(r => IdOf(r.Container.ID)).Order(), registered.Select(e => e.Service.ID).Order());
        foreach (var (node, container) in running)
        {
            var entry = registered.Single(e => e.Service.ID == IdOf(container.ID));
            Assert.Equal(("127.0.0.1", PortOf(container), node), (entry.Service.Address, entry.Service.Port, entry.Node.Node));
            Assert.Equal(["php", "urlprefix-/"], entry.Service.Tags);
            Assert.Equal(("controlpanel", Service, "1", first.Id.ToString()),
                (entry.Service.Meta["managed_by"], entry.Service.Meta["controlpanel_service"], entry.Service.Meta["release"], entry.Service.Meta["deployment_id"]));
            Assert.StartsWith("sha256:", entry.Service.Meta["image_digest"], StringComparison.Ordinal);
            Assert.Equal("passing", Assert.Single(entry.Checks, c => c.ServiceID == entry.Service.ID).Status);
        }

        var second = Succeeded(await DeployAsync(await ReleasePhpAsync("2", new { tags = new[] { "php", "urlprefix-/" } })));

        var calls = Consul.Calls;
        foreach (var (node, old) in running)
        {
            var stop = Assert.Single(second.Steps, s => s.Action == DeploymentStepAction.StopOld && s.ContainerId == old.ID);
            var deregistered = Assert.Single(calls, c => c.Method == "PUT" && c.Path == $"/v1/agent/service/deregister/{IdOf(old.ID)}");
            Assert.Equal(node, deregistered.Agent);
            Assert.True(deregistered.At < stop.At, $"{old.ID[..12]} deregistered at {deregistered.At:O}, stopped at {stop.At:O}");
        }
        foreach (var healthy in second.Steps.Where(s => s.Action == DeploymentStepAction.Healthy))
        {
            var register = calls.Where(c => c.Method == "PUT" && c.Path == "/v1/agent/service/register").Select(c => c.At).ToList();
            Assert.Contains(register, at => at >= healthy.At + healthy.Duration!.Value);
        }
        var after = await CatalogAsync();
        Assert.Equal(3, after.Count);
        Assert.All(after, e => Assert.Equal("2", e.Service.Meta["release"]));
        Assert.Equal((await ReplicasAsync()).Where(r => r.Container.State == "running").Select(r => IdOf(r.Container.ID)).Order(), after.Select(e => e.Service.ID).Order());
    }

    [Fact]
    public async Task ConsulDownDuringADeployment_FailsItBeforeAnyReplicaStops()
    {
        Succeeded(await DeployAsync(await ReleasePhpAsync("1")));
        var before = (await ReplicasAsync()).Where(r => r.Container.State == "running").Select(r => r.Container.ID).Order().ToList();
        var release = await ReleasePhpAsync("2");
        foreach (var node in Lab.SharedNodes) await Consul.StopAgentAsync(node.Name);

        var deployment = await DeployAsync(release);

        Assert.NotEqual(DeploymentStatus.Succeeded, deployment.Status);
        Assert.DoesNotContain(deployment.Steps, s => s.Action == DeploymentStepAction.StopOld);
        var failed = Assert.Single(deployment.Steps, s => s.Failed && s.Action == DeploymentStepAction.RotateIn);
        Assert.Contains("Consul", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("unreachable", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(before, (await ReplicasAsync()).Where(r => r.Container.State == "running").Select(r => r.Container.ID).Order());
    }

    [Fact]
    public async Task AServiceThatOptsOut_IsNotRegistered()
    {
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", new { register = false })));

        Assert.Empty(await CatalogAsync());
        Assert.DoesNotContain(Consul.Calls, c => c.Path == "/v1/agent/service/register");
    }

    [Fact]
    public async Task ASafeRestart_DeregistersTheReplicaBeforeItsStop_AndRegistersItAgainOnceHealthy()
    {
        Succeeded(await DeployAsync(await ReleasePhpAsync("1")));
        var (node, replica) = (await ReplicasAsync()).First(r => r.Container.State == "running");

        var response = await Deployer.PostAsJsonAsync($"/api/services/{Service}/replicas/{replica.ID}/restart", new { message = "stuck workers" });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var restart = Succeeded(await WaitDeploymentAsync((await response.Content.ReadFromJsonAsync<Deployment>(Json))!.Id));
        var stop = Assert.Single(restart.Steps, s => s.Action == DeploymentStepAction.Stop && s.ContainerId == replica.ID);
        var healthy = Assert.Single(restart.Steps, s => s.Action == DeploymentStepAction.Healthy && s.ContainerId == replica.ID);
        var calls = Consul.Calls;
        var deregistered = Assert.Single(calls, c => c.Path == $"/v1/agent/service/deregister/{IdOf(replica.ID)}");
        Assert.Equal(node, deregistered.Agent);
        Assert.True(deregistered.At < stop.At);
        Assert.Contains(calls, c => c.Agent == node && c.Path == "/v1/agent/service/register" && c.At >= healthy.At + healthy.Duration!.Value);
        Assert.Contains(await CatalogAsync(), e => e.Service.ID == IdOf(replica.ID));
    }
}
