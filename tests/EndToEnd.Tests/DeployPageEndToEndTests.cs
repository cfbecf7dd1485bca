using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A team lead deploys from the service page: reviews the diff, confirms, watches the rollout, sees what runs where.</summary>
public sealed class DeployPageEndToEndTests() : ServiceBrowserTestBase("page-dep-")
{
    public override async Task InitializeAsync()
    {
        Panel.ConfigureServices = ObservedReleaseStore.Decorate; // counts the services list's reads of deployments in flight
        await base.InitializeAsync();
    }

    [Fact]
    public async Task DeployFromTheServicePage_ShowsTheDiff_ThenTheLiveRollout_ThenTheReplicasOnTheRelease()
    {
        var ports = LabContainers.NextPorts(10);
        Repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\nENV VERSION={Service}\n").Commit("page deploy");
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{Service}",
            runtime = new { nodes = new[] { "node1", "node2" }, ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 9 } }, update = new { monitorSeconds = 0 } },
        })).EnsureSuccessStatusCode();
        var build = await (await admin.PostAsJsonAsync($"/api/services/{Service}/builds", new { node = "node1" })).Content.ReadFromJsonAsync<JsonElement>();
        var buildId = build.GetProperty("id").GetGuid();
        JsonElement built = default;
        await LabContainers.WaitUntilAsync(async () => (built = await admin.GetFromJsonAsync<JsonElement>($"/api/builds/{buildId}")).GetProperty("status").GetString() != "Running",
            TimeSpan.FromSeconds(90), "the build");
        var tag = built.GetProperty("commitSha").GetString()![..7];

        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.Locator("[data-testid=deploy-tag] input, input[data-testid=deploy-tag]").First.FillAsync(tag);
        await page.Locator("[data-testid=deploy-message] input, input[data-testid=deploy-message]").First.FillAsync("first release from the page");
        await page.Locator("[data-testid=review-deploy]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=deploy-diff]")).ToContainTextAsync("image");
        await page.Locator("[data-testid=confirm-deploy]").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/deployments/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("[data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-lane]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-lane=node1] [data-action=healthy]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=events]")).ToContainTextAsync("create");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("first release from the page");

        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        var replicas = page.Locator("[data-testid=replicas] tr[data-node]");
        await Assertions.Expect(replicas).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=replicas] tr[data-drift=true]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=deployments] tr[data-deployment]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ServicesList_ShowsDeploymentsBuildsAndNewServicesAsTheyHappen_WithoutReloadingOrPolling()
    {
        var ports = LabContainers.NextPorts(10);
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = Repo.Path, registry = "lab", imageRepository = "lab/web",
            runtime = new
            {
                nodes = new[] { "node1" }, replicasPerNode = 2, ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 9 } },
                update = new { monitorSeconds = 3 }, // slow enough to be seen in flight, and for a 2 s poll to show
            },
        })).EnsureSuccessStatusCode();
        var release = (await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
        var store = Panel.Services.GetRequiredService<ObservedReleaseStore>();
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/services");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var inFlight = page.Locator($"tr[data-service='{Service}'] [data-testid=in-flight]");
        await Assertions.Expect(inFlight).ToHaveCountAsync(0);
        await LabContainers.WaitUntilAsync(() => Task.FromResult(store.RunningDeploymentReads >= 2), TimeSpan.FromSeconds(10), "the prerendered and the live page's first reads");
        store.ResetCounts();

        var started = await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release })).Content.ReadFromJsonAsync<JsonElement>();

        await Assertions.Expect(inFlight).ToContainTextAsync($"release {release}", new() { Timeout = 15_000 });
        await Assertions.Expect(inFlight).ToHaveAttributeAsync("href", $"/deployments/{started.GetProperty("id").GetGuid()}");
        await Assertions.Expect(inFlight).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        var ended = await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{started.GetProperty("id").GetGuid()}");
        Assert.Equal("Succeeded", ended.GetProperty("status").GetString());
        Assert.Equal(2, store.RunningDeploymentReads); // once when it started, once when it ended: no poll in between

        var other = Service + "-b";
        (await admin.PutAsJsonAsync($"/api/services/{other}", new { repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{other}" })).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator($"tr[data-service='{other}']")).ToHaveCountAsync(1);
        Repo.Write("Dockerfile", $"FROM {Lab.Image("busybox")}\nENV SERVICE={other}\n").Commit("build from the list");
        (await admin.PostAsJsonAsync($"/api/services/{other}/builds", new { node = "node1" })).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator($"tr[data-service='{other}'] a[href^='/builds/']")).ToHaveCountAsync(1);
        Assert.Equal(2, store.RunningDeploymentReads);
    }
}
