using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>On call: a replica is OOM-killed while the service page is open; the timeline shows it, and its deployment.</summary>
public sealed class TimelineEndToEndTests() : ServiceBrowserTestBase("page-tl-")
{
    [Fact]
    public async Task AnOomKill_AppearsLiveOnTheServiceTimeline_BesideTheDeployment_AndOnTheContainerPage()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        await DeployLabWebAsync(admin);

        var onCall = await SignInAsync(await UserAsync(Role.Viewer));
        await onCall.GotoAsync($"{BaseUrl}/services/{Service}");
        await onCall.Locator("[data-circuit=on]").WaitForAsync();
        var timeline = onCall.Locator("[data-testid=timeline]");
        await Assertions.Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=DeploymentStarted]")).ToHaveCountAsync(1);
        await Assertions.Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=DeploymentSucceeded]")).ToHaveCountAsync(1);
        await Assertions.Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=DeploymentSucceeded] [data-testid=timeline-deployment]")).ToHaveAttributeAsync("href",
            new System.Text.RegularExpressions.Regex("^/deployments/[0-9a-f-]{36}$"));

        // A row stays with its event: the newest row's element must not be re-used (and its chip re-coloured) for the next one.
        var succeededRow = await timeline.Locator("[data-testid=timeline-entry][data-kind=DeploymentSucceeded]").ElementHandleAsync();

        var node = Lab.SharedNodes[0];
        var id = await MisbehavingContainers.RunOomAsync(Containers, node, Service);

        // Live: the open page shows it without a reload.
        var oom = timeline.Locator("[data-testid=timeline-entry][data-kind=OomKilled]");
        await Assertions.Expect(oom).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(oom).ToHaveAttributeAsync("data-exit-code", "137");
        Assert.Equal("DeploymentSucceeded", await succeededRow.GetAttributeAsync("data-kind"));
        await Assertions.Expect(oom).ToContainTextAsync("exit code 137");
        await Assertions.Expect(oom.Locator("[data-testid=timeline-logs]")).ToHaveAttributeAsync("href",
            new System.Text.RegularExpressions.Regex($"^/logs\\?c={node.Name}/{id}&at=[0-9]{{13}}$"));
        var api = await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/timeline?kind=OomKilled");
        var stored = Assert.Single(api.EnumerateArray());
        Assert.Equal(137, stored.GetProperty("exitCode").GetInt32());
        Assert.Equal(id, stored.GetProperty("containerId").GetString());

        // Filter by kind: crashes hidden, deployments kept.
        await timeline.Locator("[data-testid=timeline-kind][data-group=Crashes]").ClickAsync();
        await Assertions.Expect(oom).ToHaveCountAsync(0);
        await Assertions.Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=DeploymentSucceeded]")).ToHaveCountAsync(1);
        await timeline.Locator("[data-testid=timeline-kind][data-group=Crashes]").ClickAsync();
        await Assertions.Expect(oom).ToHaveCountAsync(1);

        // One click to the container, whose own timeline says the same.
        await oom.Locator($"a[href='/nodes/{node.Name}/containers/{id}']").ClickAsync();
        await onCall.WaitForURLAsync($"{BaseUrl}/nodes/{node.Name}/containers/{id}");
        await Assertions.Expect(onCall.Locator("[data-testid=timeline] [data-testid=timeline-entry][data-kind=OomKilled]")).ToHaveCountAsync(1);
        await Assertions.Expect(onCall.Locator("[data-testid=timeline] [data-testid=timeline-entry][data-kind=DeploymentStarted]")).ToHaveCountAsync(0);
    }
}
