using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Draining a lab node under POST load through nginx: the service ends at full count on the other nodes, none left on the drained one.</summary>
public sealed class NodeDrainTests : NginxRouteTestBase
{
    [Fact]
    public async Task ADrainedNode_EndsWithNoReplica_TheServiceAtFullCountElsewhere_EachDrainedBeforeItsStop()
    {
        var (missing, drained) = (Lab.SharedNodes[1].Name, Lab.SharedNodes[2].Name);
        await DeployRouterAsync();
        // One staying node starts without its replica, so the drain must place one there before it retires any.
        Assert.True((await Admin.PostAsync($"/api/nodes/{missing}/cordon", null)).IsSuccessStatusCode);
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime())));
        Assert.True((await Admin.PostAsync($"/api/nodes/{missing}/uncordon", null)).IsSuccessStatusCode);
        var leaving = Assert.Single(await ReplicasAsync(), r => r.Node == drained).Container.ID;

        await using var load = PostLoad.Start(ProxyUrl(300), loops: 4);
        await load.WaitForAnswersAsync(8);
        var response = await Admin.PostAsJsonAsync($"/api/nodes/{drained}/drain", new { reason = "kernel upgrade" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var drain = (await response.Content.ReadFromJsonAsync<Api.NodeDrainDto>(Json))!;
        var started = Assert.Single(drain.Deployments);
        Assert.Equal(Service, started.Service);
        Assert.Equal(DeploymentKind.Drain, started.Kind);
        var deployment = Succeeded(await WaitDeploymentAsync(started.Id));
        await load.WaitForAnswersAsync(8);
        await load.StopAsync();

        EveryRequestAnswered(load);
        var replicas = await ReplicasAsync();
        Assert.DoesNotContain(replicas, r => r.Node == drained);
        Assert.Equal(Lab.SharedNodes.Where(n => n.Name != drained).Select(n => n.Name).Order(), replicas.Where(r => r.Container.State == "running").Select(r => r.Node).Order());
        Assert.Equal(await ReplicaPortsAsync(), PortsIn(await UpstreamAsync()));
        // The new replica was in rotation before the drained one left it; then out, drained, stopped, removed, in that order.
        var steps = deployment.Steps.Where(s => s.ContainerId == leaving).Select(s => s.Action).ToList();
        Assert.Equal([DeploymentStepAction.RotateOut, DeploymentStepAction.Drain, DeploymentStepAction.StopOld, DeploymentStepAction.RemoveOld], steps);
        var rotatedIn = Assert.Single(deployment.Steps, s => s.Node == missing && s.Action == DeploymentStepAction.RotateIn);
        Assert.True(rotatedIn.At < deployment.Steps.Single(s => s.ContainerId == leaving && s.Action == DeploymentStepAction.RotateOut).At);
        Assert.DoesNotContain(deployment.Steps, s => s.Node == drained && s.Action is DeploymentStepAction.Create or DeploymentStepAction.Pull);

        var node = (await Admin.GetFromJsonAsync<List<Api.NodeDto>>("/api/nodes", Json))!.Single(n => n.Name == drained);
        Assert.Equal(Core.Fleet.NodeAvailability.Cordoned, node.Availability);
        var history = await Deployer.GetFromJsonAsync<List<Deployment>>($"/api/deployments?service={Service}", Json);
        Assert.Equal(DeploymentKind.Drain, history![0].Kind);
        Assert.Equal(drained, history[0].LeavingNode); // stored, so a drain resumed after a restart still retires them
        var audit = await Admin.GetStringAsync($"/api/audit?action=node.drain&node={drained}");
        Assert.Contains(started.Id.ToString(), audit, StringComparison.Ordinal);
    }
}
