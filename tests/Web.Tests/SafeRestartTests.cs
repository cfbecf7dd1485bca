using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Safe restarts of PHP-FPM behind the panel's nginx router: in place, drained first, with POSTs running through nginx.</summary>
public sealed class SafeRestartTests : NginxRouteTestBase
{
    [Fact]
    public async Task AServiceRestart_UnderPostLoad_AnswersEveryRequest_AndRestartsEachReplicaInPlace()
    {
        await DeployRouterAsync();
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime())));
        var before = (await ReplicasAsync()).ToDictionary(r => r.Container.ID, r => r.Container.Created);
        var started = await StartedAtAsync();

        await using var load = PostLoad.Start(ProxyUrl(300), loops: 4);
        await load.WaitForAnswersAsync(8);
        var response = await Deployer.PostAsJsonAsync($"/api/services/{Service}/restart", new { message = "php-fpm leaks" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var restart = Succeeded(await WaitDeploymentAsync((await response.Content.ReadFromJsonAsync<Deployment>(Json))!.Id));
        await load.WaitForAnswersAsync(8);
        await load.StopAsync();

        EveryRequestAnswered(load);
        Assert.Equal(DeploymentKind.Restart, restart.Kind);
        // The same three containers, each started again.
        Assert.Equal(before.Keys.Order(), (await ReplicasAsync()).Select(r => r.Container.ID).Order());
        var after = await StartedAtAsync();
        Assert.All(before.Keys, id => Assert.NotEqual(started[id], after[id]));
        foreach (var action in new[] { DeploymentStepAction.RotateOut, DeploymentStepAction.Drain, DeploymentStepAction.Stop, DeploymentStepAction.Start, DeploymentStepAction.Healthy, DeploymentStepAction.RotateIn })
            Assert.Equal(3, restart.Steps.Count(s => s.Action == action && !s.Failed));
        Assert.DoesNotContain(restart.Steps, s => s.Action is DeploymentStepAction.Create or DeploymentStepAction.RemoveOld);
        Assert.Equal(await ReplicaPortsAsync(), PortsIn(await UpstreamAsync()));
    }

    [Fact]
    public async Task AnOperator_RestartsOneReplicaSafely_ButNotTheWholeService_AndAViewerNeither()
    {
        await DeployRouterAsync();
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime())));
        var started = await StartedAtAsync();
        var target = started.Keys.First();
        var operatorClient = await Factory.CreateClientAsync(Role.Operator);
        var viewer = await Factory.CreateClientAsync(Role.Viewer);

        var whole = await operatorClient.PostAsJsonAsync($"/api/services/{Service}/restart", new { });
        var viewed = await viewer.PostAsJsonAsync($"/api/services/{Service}/replicas/{target}/restart", new { });
        var one = await operatorClient.PostAsJsonAsync($"/api/services/{Service}/replicas/{target}/restart", new { message = "stuck workers" });

        Assert.Equal(HttpStatusCode.Forbidden, whole.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewed.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, one.StatusCode);
        var restart = Succeeded(await WaitDeploymentAsync((await one.Content.ReadFromJsonAsync<Deployment>(Json))!.Id));
        Assert.Single(restart.Steps, s => s.Action == DeploymentStepAction.Stop);
        var audited = Assert.Single((await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/audit?action=service.restart&text={Service}")).EnumerateArray());
        Assert.Contains($"replica {target}", audited.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await StartedAtAsync();
        Assert.NotEqual(started[target], after[target]);
        Assert.All(started.Keys.Where(id => id != target), id => Assert.Equal(started[id], after[id]));
    }

    private async Task<Dictionary<string, string>> StartedAtAsync()
    {
        var result = new Dictionary<string, string>();
        foreach (var (node, c) in await ReplicasAsync())
            result[c.ID] = (await Engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.InspectContainerAsync(c.ID)).State!.StartedAt;
        return result;
    }
}
