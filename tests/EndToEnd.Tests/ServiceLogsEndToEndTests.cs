using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A developer reads all of a service's replicas in one merged view, opened from the service page, across a deployment.</summary>
public sealed class ServiceLogsEndToEndTests() : ServiceBrowserTestBase("svclogs-")
{
    [Fact]
    public async Task LogsFromTheServicePage_MergeReplicasOnTwoNodes_AndKeepFollowingTheNewReplicasAfterARedeploy()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        await DeployAsync(admin, prefix: "first");
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();

        await page.Locator("[data-testid=service-logs]").ClickAsync(); // the one click

        await page.WaitForURLAsync($"{BaseUrl}/logs?service={Service}");
        var lines = page.Locator("[data-testid=log-view] [data-testid=log-line]");
        string[] labels = [$"node1/{Service}-0", $"node2/{Service}-0"];
        foreach (var label in labels)
            await Assertions.Expect(LinesOf(page, lines, label, "first ").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // Each replica has its own label and its own colour, in the header and on its lines.
        var chips = page.Locator("[data-testid=logs-header] [data-testid=log-source]");
        await Assertions.Expect(chips).ToHaveTextAsync(labels);
        var colours = await chips.EvaluateAllAsync<string[]>("chips => chips.map(c => getComputedStyle(c).backgroundColor)");
        Assert.Equal(2, colours.Distinct().Count());
        Assert.Equal(colours[0], await LinesOf(page, lines, labels[0], "first ").Last.Locator("[data-testid=line-source]").EvaluateAsync<string>("s => getComputedStyle(s).backgroundColor"));
        await Assertions.Expect(page.Locator("[data-testid=following]")).ToBeVisibleAsync();

        // Scrolling up to read stops following; one button goes back to the live end.
        var view = page.Locator("[data-testid=log-view]");
        await LabContainers.WaitUntilAsync(() => view.EvaluateAsync<bool>("v => v.scrollHeight > v.clientHeight + 200"), TimeSpan.FromSeconds(30), "the view to fill up");
        await view.EvaluateAsync("v => v.scrollTop = 0");
        await page.Locator("[data-testid=jump-to-live]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=following]")).ToBeVisibleAsync();
        await LabContainers.WaitUntilAsync(() => view.EvaluateAsync<bool>("v => v.scrollTop + v.clientHeight >= v.scrollHeight - 30"), TimeSpan.FromSeconds(10), "the view back at its newest line");

        await DeployAsync(admin, prefix: "second"); // release 2 replaces both replicas

        // The same view, untouched: the new replicas' lines arrive, labelled by their slots, and the old ones are gone from the header.
        foreach (var label in labels)
            await Assertions.Expect(LinesOf(page, lines, label, "second ").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var newest = await lines.Last.TextContentAsync();
        await Assertions.Expect(chips).ToHaveTextAsync(labels, new() { Timeout = 15_000 });
        Assert.Equal(2, await chips.CountAsync());
        await Assertions.Expect(page.Locator("[data-testid=following]")).ToBeVisibleAsync();
        // Still following: later lines keep coming in after the deployment.
        await Assertions.Expect(lines.Last).Not.ToHaveTextAsync(newest!, new() { Timeout = 15_000 });
        await Assertions.Expect(lines.Last).ToContainTextAsync("second ");
    }

    private static ILocator LinesOf(IPage page, ILocator lines, string label, string text) =>
        lines.Filter(new() { HasText = text }).Filter(new() { Has = page.Locator("[data-testid=line-source]", new() { HasTextString = label }) });

    /// <summary>Saves the service (the lab's logger on node1 and node2, one replica each, printing PREFIX n) and deploys a release of it through the API.</summary>
    private async Task DeployAsync(HttpClient admin, string prefix)
    {
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/logger",
            runtime = new
            {
                nodes = new[] { "node1", "node2" }, health = "none", stopTimeoutSeconds = 2,
                environment = new[] { new { name = "PREFIX", value = prefix }, new { name = "RATE", value = "4" } },
                update = new { monitorSeconds = 0 },
            },
        })).EnsureSuccessStatusCode();
        var release = await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>();
        var deployment = await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release = release.GetProperty("number").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
        await LabContainers.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.GetProperty("id").GetGuid()}")).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(90), $"the deployment of '{prefix}'");
    }
}
