using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>
/// The team lead's journeys, clicked in Chromium: from a finished build's page to its rollout (release, review,
/// deploy), and from a failed deployment to a rollback (roll back, confirm), which the audit log shows as such.
/// </summary>
public sealed class TeamLeadJourneyEndToEndTests() : ServiceBrowserTestBase("page-lead-")
{
    private readonly int _ports = LabContainers.NextPorts(10);

    private object Runtime(object? health = null, string failureAction = "Rollback", string order = "StartFirst") => new
    {
        nodes = new[] { "node1" }, ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 } },
        health = health is null ? "Image" : "Http", httpProbe = health,
        update = new { monitorSeconds = 0, progressDeadlineSeconds = 8, failureAction, order },
    };

    [Fact]
    public async Task ReleaseAndDeploy_FromAFinishedBuildsPage_RunsTheRollout_AndTheReleaseLinksTheBuild()
    {
        Repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\nENV VERSION={Service}\n").Commit("lead build");
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new { repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{Service}", runtime = Runtime() }))
            .EnsureSuccessStatusCode();
        var buildId = (await (await admin.PostAsJsonAsync($"/api/services/{Service}/builds", new { node = "node1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await LabContainers.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/builds/{buildId}")).GetProperty("status").GetString() != "Running",
            TimeSpan.FromSeconds(90), "the build");

        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/builds/{buildId}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.Locator("[data-testid=release-and-deploy]").ClickAsync(); // click 1: release
        await Assertions.Expect(page.Locator("[data-testid=deploy-diff]")).ToContainTextAsync("image"); // the review
        await page.Locator("[data-testid=confirm-deploy]").ClickAsync(); // click 2: deploy

        await page.WaitForURLAsync(new Regex("/deployments/[0-9a-f-]{36}$"));
        await page.Locator("[data-testid=deployment-progress]").WaitForAsync(); // the build page's own "succeeded" chip is gone
        await Assertions.Expect(page.Locator("[data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-testid=release-build-link]")).ToHaveAttributeAsync("href", $"/builds/{buildId}");
        await Assertions.Expect(page.Locator("[data-testid=step-container]").First).ToHaveAttributeAsync("href", new Regex("^/nodes/node1/containers/[0-9a-f]{64}$"));
        var release = Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/releases")).EnumerateArray());
        Assert.Equal(buildId, release.GetProperty("buildId").GetGuid());

        await page.Locator("[data-testid=release-build-link]").ClickAsync(); // back on the build, which now says what it was released as
        await Assertions.Expect(page.Locator("[data-testid=build-releases] [data-release]")).ToHaveCountAsync(1);
        await page.Locator("[data-testid=build-releases] [data-release]").ClickAsync(); // the service page: the build in the picker, the release marked running
        await page.Locator("[data-testid=deploy-release]").ClickAsync();
        await Assertions.Expect(page.Locator($".mud-popover-open [data-build='{buildId}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".mud-popover-open [data-testid=running-release]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task RollbackButton_OnAFailedDeployment_RollsBackToTheHealthyRelease_AuditedAsARollback()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new { registry = "lab", imageRepository = "lab/web", runtime = Runtime() })).EnsureSuccessStatusCode();
        var (healthy, _) = await DeployAsync(admin, "Succeeded");
        // The same image with a health check it fails, stop-first and paused where it failed: the healthy replica is
        // gone and the broken one left, so the rollback has real work to do.
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/web", runtime = Runtime(new { path = "/no-such-page", portName = "PORT", timeoutSeconds = 1 }, "Pause", "StopFirst"),
        })).EnsureSuccessStatusCode();
        var (_, failed) = await DeployAsync(admin, "Paused");

        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/deployments/{failed}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var rollback = page.Locator("[data-testid=rollback-to]");
        await Assertions.Expect(rollback).ToHaveTextAsync(new Regex($"Roll back to release {healthy}$", RegexOptions.IgnoreCase));
        await rollback.ClickAsync(); // click 1
        await Assertions.Expect(page.Locator("[data-testid=rollback-review]")).ToContainTextAsync("health");
        await page.Locator("[data-testid=confirm-rollback]").ClickAsync(); // click 2: the rollback runs

        await page.WaitForURLAsync(url => Regex.IsMatch(url, "/deployments/[0-9a-f-]{36}$") && !url.EndsWith(failed.ToString(), StringComparison.Ordinal));
        await page.Locator("[data-testid=deployment-progress]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-testid=events] [data-testid=step-container]").First).ToBeVisibleAsync(); // it made a replica
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"Rollback from release {healthy + 1} to release {healthy}");
        var replica = Assert.Single(await Containers.ServiceReplicasAsync(Service));
        Assert.Equal(healthy.ToString(), replica.Container.Labels[Core.Releases.ReplicaLabels.Release]);

        // The failed deployment is no longer the newest: its page offers no rollback, which would now undo this one.
        await page.GotoAsync($"{BaseUrl}/deployments/{failed}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=deployment-progress]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=rollback-to]")).ToHaveCountAsync(0);

        await page.Locator("a[href='/audit']").First.ClickAsync();
        var row = page.Locator("[data-testid=audit-row]", new() { HasText = "deployment.rollback" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-testid=audit-target]")).ToHaveAttributeAsync("href", $"/services/{Service}");
        await Assertions.Expect(row).ToContainTextAsync($"from release {healthy + 1} to release {healthy}");
    }

    /// <summary>Makes a release of tag 1 with the service's current runtime and deploys it through the API, expecting it to end <paramref name="expected"/>.</summary>
    private async Task<(int Release, Guid Deployment)> DeployAsync(HttpClient admin, string expected)
    {
        var release = (await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
        var id = (await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        string? status = null;
        await LabContainers.WaitUntilAsync(async () => (status = (await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}")).GetProperty("status").GetString()) != "Running",
            TimeSpan.FromSeconds(90), $"deployment of release {release}");
        Assert.Equal(expected, status);
        return (release, id);
    }
}
