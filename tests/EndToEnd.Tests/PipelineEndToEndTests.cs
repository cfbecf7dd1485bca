using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>
/// A Deployer clicks Build &amp; deploy on a service built from a local git repository, lands on the live pipeline
/// page and watches build, release and deploy; the replicas then run the new commit's image.
/// </summary>
public sealed class PipelineEndToEndTests() : ServiceBrowserTestBase("page-pipe-")
{
    private readonly int _ports = LabContainers.NextPorts(10);

    private async Task<HttpClient> DefineAsync()
    {
        var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{Service}",
            runtime = new { nodes = new[] { "node1", "node2" }, replicasPerNode = 1, ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 } }, update = new { monitorSeconds = 0 } },
        })).EnsureSuccessStatusCode();
        return admin;
    }

    private async Task<IPage> ClickBuildAndDeployAsync()
    {
        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.Locator("[data-testid=build-and-deploy]").ClickAsync();
        await page.WaitForURLAsync(new Regex("/pipelines/[0-9a-f-]{36}$"));
        return page;
    }

    [Fact]
    public async Task BuildAndDeploy_LandsOnTheLivePipeline_WhichSucceedsStageByStage_AndTheReplicasRunTheNewCommit()
    {
        var commit = Repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\nENV VERSION={Service}-2\n").Commit("second version");
        using var admin = await DefineAsync();

        var page = await ClickBuildAndDeployAsync();

        foreach (var stage in new[] { "build", "release", "deploy" })
            await Assertions.Expect(page.Locator($"[data-stage={stage}][data-state=succeeded]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=pipeline-commit]")).ToHaveTextAsync(commit[..7]);
        await Assertions.Expect(page.Locator("[data-testid=pipeline-deployment-steps] [data-lane]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=cancel-pipeline]")).ToHaveCountAsync(0); // nothing to cancel once it ended
        var release = Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/releases")).EnumerateArray());
        Assert.Equal(commit[..7], release.GetProperty("tag").GetString());
        var replicas = await Containers.ServiceReplicasAsync(Service);
        Assert.Equal(2, replicas.Count);
        Assert.All(replicas, r => Assert.Equal(release.GetProperty("number").GetInt32().ToString(), r.Container.Labels[ReplicaLabels.Release]));
        Assert.All(replicas, r => Assert.EndsWith("@" + release.GetProperty("digest").GetString(), r.Container.Image, StringComparison.Ordinal));

        await page.Locator("h1 a").ClickAsync(); // back on the service page: the latest pipeline's result near the top, and the list
        await Assertions.Expect(page.Locator("[data-testid=latest-pipeline] [data-status=succeeded]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=pipeline-list] [data-pipeline]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=pipeline-list] [data-stage][data-state=succeeded]")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task BuildAndDeploy_OfAnotherRevision_ChosenFromTheMenu_DeploysThatCommit()
    {
        var older = Repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\nENV VERSION={Service}-1\n").Commit("older version");
        Repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\nENV VERSION={Service}-2\n").Commit("newer version");
        using var admin = await DefineAsync();
        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();

        await page.Locator("[data-testid=build-and-deploy-menu] button").ClickAsync();
        await page.Locator("[data-testid=choose-revision]").ClickAsync();
        await page.Locator("input[data-testid=pipeline-revision]").FillAsync(older);
        await page.Locator("[data-testid=start-pipeline]").ClickAsync();
        await page.WaitForURLAsync(new Regex("/pipelines/[0-9a-f-]{36}$"));

        await Assertions.Expect(page.Locator("[data-stage=deploy][data-state=succeeded]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=pipeline-commit]")).ToHaveTextAsync(older[..7]);
        var release = Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/releases")).EnumerateArray());
        Assert.Equal(older[..7], release.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task BuildAndDeploy_OfABrokenDockerfile_StopsAtBuild_WithNoRelease_AndSaysWhy()
    {
        Repo.Write("Dockerfile", $"FROM {Lab.Image("busybox")}\nRUN exit 1\n").Commit("broken");
        using var admin = await DefineAsync();

        var page = await ClickBuildAndDeployAsync();

        await Assertions.Expect(page.Locator("[data-stage=build][data-state=failed]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-stage=release][data-state=skipped]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-stage=deploy][data-state=skipped]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=pipeline-message]")).ToContainTextAsync("build failed in phase build");
        await Assertions.Expect(page.Locator("[data-testid=pipeline-build-log]")).ToContainTextAsync("exit 1");
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/releases")).EnumerateArray());
        Assert.Empty(await Containers.ServiceReplicasAsync(Service));
    }
}
