using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Releases of PHP-FPM behind the panel's nginx router, with POST requests running through nginx all along.</summary>
public sealed class NginxRouteTests : NginxRouteTestBase
{
    [Fact]
    public async Task ARollingRelease_UnderPostLoad_AnswersEveryRequest_AndDrainsEachOldReplicaBeforeItsStop()
    {
        await DeployRouterAsync();
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime())));
        Assert.Equal(await ReplicaPortsAsync(), PortsIn(await UpstreamAsync()));
        var v2 = await ReleasePhpAsync("2", PhpRuntime());

        await using var load = PostLoad.Start(ProxyUrl(300), loops: 4);
        await load.WaitForAnswersAsync(8);
        var deployment = Succeeded(await DeployAsync(v2));
        await load.WaitForAnswersAsync(8);
        await load.StopAsync();

        EveryRequestAnswered(load);
        Assert.Contains(load.Answers, a => a.Body == "v1");
        Assert.Equal("v2", load.Answers.Last().Body);
        Assert.Equal(await ReplicaPortsAsync(), PortsIn(await UpstreamAsync()));
        // Each old replica: out of rotation, then drained until idle, then stopped.
        Assert.Equal(3, deployment.Steps.Count(s => s.Action == DeploymentStepAction.RotateOut && !s.Failed));
        Assert.Equal(3, deployment.Steps.Count(s => s.Action == DeploymentStepAction.RotateIn && !s.Failed));
        var drains = deployment.Steps.Where(s => s.Action == DeploymentStepAction.Drain).ToList();
        Assert.Equal(3, drains.Count);
        Assert.All(drains, d => Assert.StartsWith("idle after", d.Detail, StringComparison.Ordinal));
        foreach (var stop in deployment.Steps.Where(s => s.Action == DeploymentStepAction.StopOld))
            Assert.True(deployment.Steps.Single(s => s.Action == DeploymentStepAction.Drain && s.ContainerId == stop.ContainerId).At < stop.At);
    }

    [Fact]
    public async Task AReleaseThatFailsItsHealth_IsRolledBack_UnderPostLoad_WithoutAFailedRequest()
    {
        await DeployRouterAsync();
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime())));
        var broken = await ReleasePhpAsync("2", PhpRuntime(pingResponse: "not-pong"));

        await using var load = PostLoad.Start(ProxyUrl(300), loops: 4);
        await load.WaitForAnswersAsync(8);
        var deployment = await DeployAsync(broken);
        await load.WaitForAnswersAsync(8);
        await load.StopAsync();

        Assert.Equal(DeploymentStatus.RolledBack, deployment.Status);
        EveryRequestAnswered(load);
        Assert.All(load.Answers, a => Assert.Equal("v1", a.Body));
        Assert.Equal(await ReplicaPortsAsync(), PortsIn(await UpstreamAsync()));
    }

    [Fact]
    public async Task AnUpstreamNginxRefuses_FailsTheReleaseWithNginxsWords_BeforeAnyReplicaIsStopped()
    {
        await DeployRouterAsync();
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime())));
        var before = await UpstreamAsync();
        // The file nginx includes inside its server block (the listen line): nginx -t refuses an upstream there.
        var clash = await ReleasePhpAsync("2", PhpRuntime(file: "/etc/nginx/listen.conf"));

        var deployment = await DeployAsync(clash);

        Assert.NotEqual(DeploymentStatus.Succeeded, deployment.Status);
        var refused = Assert.Single(deployment.Steps, s => s.Action == DeploymentStepAction.RotateIn && s.Failed);
        Assert.Contains("\"upstream\" directive is not allowed here", refused.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(deployment.Steps, s => s.Action == DeploymentStepAction.StopOld);
        Assert.Equal(before, await UpstreamAsync());
        var replicas = (await ReplicasAsync()).Where(r => r.Container.State == "running").ToList();
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, r => Assert.Equal("1", r.Container.Labels[ReplicaLabels.Release]));
        using var http = new HttpClient();
        Assert.Equal("v1", (await (await http.PostAsync(ProxyUrl(0), new StringContent("x"))).Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task AReplicaKilledOutsideADeployment_LeavesTheUpstream_AndARestartedRouterGetsTheCurrentOne()
    {
        await DeployRouterAsync();
        // Not restarted by the engine: a replica that came back would be put in again while the router part runs.
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime(restartPolicy: "no"))));
        var (node, victim) = (await ReplicasAsync()).First();
        var victimPort = int.Parse(victim.Labels[ReplicaLabels.PortPrefix + "PORT"], System.Globalization.CultureInfo.InvariantCulture);

        await Engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.KillContainerAsync(victim.ID, new Docker.DotNet.Models.ContainerKillParameters());
        await LabContainers.WaitUntilAsync(async () => !PortsIn(await UpstreamAsync()).Contains(victimPort), TimeSpan.FromSeconds(30), "the killed replica to leave the upstream");
        Assert.Equal(2, PortsIn(await UpstreamAsync()).Count);

        // A router that comes back with its image's placeholder (a new container, a node rebooted) is given the upstream.
        var (routerNode, router) = (await Engines.ServiceReplicasAsync(Router)).Single();
        var routerEngine = Engines.Client(Lab.SharedNodes.Single(n => n.Name == routerNode));
        await routerEngine.Containers.StopContainerAsync(router.ID, new Docker.DotNet.Models.ContainerStopParameters());
        // A rotation change in flight when the router stopped puts its file back once its nginx -t fails (the router is
        // down): write the placeholder until it stays.
        using (var services = new LabServices(Lab.SharedNodes))
            await LabContainers.WaitUntilAsync(async () =>
            {
                await services.Exec.WriteFileAsync(Lab.SharedNodes.Single(n => n.Name == routerNode), router.ID, UpstreamFile, "upstream fpm { server 127.0.0.1:9 down; }\n"u8.ToArray(), default);
                await Task.Delay(500);
                return PortsIn(await ReadStoppedUpstreamAsync(routerNode, router.ID)).Count == 0;
            }, TimeSpan.FromSeconds(20), "the placeholder to stay in the stopped router");
        await routerEngine.Containers.StartContainerAsync(router.ID, new Docker.DotNet.Models.ContainerStartParameters());
        await LabContainers.WaitUntilAsync(async () => PortsIn(await UpstreamAsync()).Count == 2, TimeSpan.FromSeconds(30), "the restarted router to get the upstream");
        using var http = new HttpClient();
        await LabContainers.WaitUntilAsync(async () => (await http.PostAsync(ProxyUrl(0), new StringContent("x"))).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "nginx to answer");
    }

    [Fact]
    public async Task ANewRouterRelease_GivesItsNewReplicaTheRoutedUpstream_BeforeItCountsAsHealthy()
    {
        await DeployRouterAsync();
        Succeeded(await DeployAsync(await ReleasePhpAsync("1", PhpRuntime())));

        var deployment = await DeployRouterAsync(new Dictionary<string, string> { ["edition"] = "2" });

        var prepared = Assert.Single(deployment.Steps, s => s.Action == DeploymentStepAction.PrepareRouter && !s.Failed);
        Assert.True(prepared.Id < deployment.Steps.Single(s => s.Action == DeploymentStepAction.Healthy).Id);
        Assert.Equal(await ReplicaPortsAsync(), PortsIn(await UpstreamAsync()));
        // nginx -s reload returns before the master has started workers on the new file, and for a moment after that
        // old workers (the placeholder's 502) accept beside the new ones: wait for the app's answer, not for one OK.
        using var http = new HttpClient();
        await LabContainers.WaitUntilAsync(async () =>
        {
            using var response = await http.PostAsync(ProxyUrl(0), new StringContent("x"));
            return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Trim() == "v1";
        }, TimeSpan.FromSeconds(10), "nginx to answer v1 from the new upstream");
    }

    [Fact]
    public async Task ARouteThroughNoRouter_IsRefusedNamingTheField_AndNothingIsSaved()
    {
        var missing = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new { registry = "lab", imageRepository = "lab/php-fpm", runtime = PhpRuntime() });
        await SaveAsync(Router, "lab/nginx", new { ports = new[] { new { name = "PORT", @fixed = RouterPort } } }); // a service, but not a router
        var notRouter = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new { registry = "lab", imageRepository = "lab/php-fpm", runtime = PhpRuntime() });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains($"'runtime.route.router' names '{Router}', which is not a service", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notRouter.StatusCode);
        Assert.Contains($"'runtime.route.router' names '{Router}', which is not a router", await notRouter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{Service}")).StatusCode);
    }

    private static async Task<string> ReadStoppedUpstreamAsync(string node, string id)
    {
        using var services = new LabServices(Lab.SharedNodes);
        return System.Text.Encoding.UTF8.GetString((await services.Exec.ReadFileAsync(Lab.SharedNodes.Single(n => n.Name == node), id, UpstreamFile, default))!);
    }

}
