using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>A cordoned node gets no new replica on the lab's engines, while what runs there stays; uncordoned, it takes them again.</summary>
public sealed class NodeCordonTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(10);

    private object Runtime() => new
    {
        nodes = Lab.SharedNodes.Select(n => n.Name).ToArray(),
        replicasPerNode = 1,
        ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 } },
        stopSignal = "SIGTERM",
        stopTimeoutSeconds = 5,
        update = new { monitorSeconds = 1, progressDeadlineSeconds = 30 },
    };

    [Fact]
    public async Task ACordonedNode_GetsNoReplicaOnTheNextDeployment_AndKeepsTheOneItRuns()
    {
        var cordoned = Lab.SharedNodes[2].Name;
        var first = await ReleaseAsync(WebImage("1"), Runtime());
        Succeeded(await DeployAsync(first));
        var before = (await ReplicasAsync()).Single(r => r.Node == cordoned).Container.ID;

        var cordon = await Admin.PostAsJsonAsync($"/api/nodes/{cordoned}/cordon", new { reason = "disk replacement" });
        Assert.True(cordon.IsSuccessStatusCode, await cordon.Content.ReadAsStringAsync());
        var shown = (await Admin.GetFromJsonAsync<List<Api.NodeDto>>("/api/nodes", Json))!.Single(n => n.Name == cordoned);
        Assert.Equal(Core.Fleet.NodeAvailability.Cordoned, shown.Availability);
        Assert.Contains("disk replacement", shown.AvailabilityReason, StringComparison.Ordinal);

        var second = await ReleaseAsync(WebImage("2"), Runtime());
        var deployment = Succeeded(await DeployAsync(second));

        var replicas = await ReplicasAsync();
        Assert.DoesNotContain(deployment.Steps, s => s.Node == cordoned);
        var kept = Assert.Single(replicas, r => r.Node == cordoned);
        Assert.Equal(before, kept.Container.ID);
        Assert.Equal(first.ToString(), kept.Container.Labels[ReplicaLabels.Release]);
        Assert.Equal(2, replicas.Count(r => r.Node != cordoned && r.Container.Labels[ReplicaLabels.Release] == second.ToString() && r.Container.State == "running"));

        var uncordon = await Admin.PostAsync($"/api/nodes/{cordoned}/uncordon", null);
        Assert.True(uncordon.IsSuccessStatusCode, await uncordon.Content.ReadAsStringAsync());
        var again = Succeeded(await DeployAsync(second));
        Assert.Contains(again.Steps, s => s.Node == cordoned && s.Action == DeploymentStepAction.StopOld);
        var onCordoned = Assert.Single(await ReplicasAsync(), r => r.Node == cordoned);
        Assert.Equal(second.ToString(), onCordoned.Container.Labels[ReplicaLabels.Release]);
        var audit = await Admin.GetStringAsync($"/api/audit?node={cordoned}");
        Assert.Contains("node.cordon", audit, StringComparison.Ordinal);
        Assert.Contains("node.uncordon", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASafeRestart_RestartsTheReplicaOnACordonedNode_InPlace()
    {
        var cordoned = Lab.SharedNodes[2].Name;
        Succeeded(await DeployAsync(await ReleaseAsync(WebImage("1"), Runtime())));
        var replica = (await ReplicasAsync()).Single(r => r.Node == cordoned).Container.ID;
        Assert.True((await Admin.PostAsJsonAsync($"/api/nodes/{cordoned}/cordon", new { reason = "flaky disk" })).IsSuccessStatusCode);

        var response = await Deployer.PostAsJsonAsync($"/api/services/{Service}/replicas/{replica}/restart", new { message = "stuck workers" });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var restart = Succeeded(await WaitDeploymentAsync((await response.Content.ReadFromJsonAsync<Deployment>(Json))!.Id));
        Assert.Equal(DeploymentKind.Restart, restart.Kind);
        Assert.Single(restart.Steps, s => s.Action == DeploymentStepAction.Stop && s.ContainerId == replica);
        Assert.Equal(replica, (await ReplicasAsync()).Single(r => r.Node == cordoned && r.Container.State == "running").Container.ID);
    }
}
