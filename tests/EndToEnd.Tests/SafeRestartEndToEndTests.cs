using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>On call at 3 a.m., and the team lead: a safe restart from the container page and from the service page.</summary>
public sealed class SafeRestartEndToEndTests() : ServiceBrowserTestBase("page-rst-")
{
    [Fact]
    public async Task AnOperatorRestartsAReplicaSafely_AndADeployerTheWholeService_EachFollowedOnItsDeploymentPage()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        var replica = await DeployLabWebAsync(admin);

        var onCall = await SignInAsync(await UserAsync(Role.Operator));
        await onCall.GotoAsync($"{BaseUrl}/nodes/node1/containers/{replica.ID}");
        await onCall.Locator("[data-circuit=on]").WaitForAsync();
        await Assertions.Expect(onCall.Locator("[data-action=restart]")).ToHaveTextAsync("Restart (no drain)");
        await onCall.Locator("[data-action=restart-safely]").ClickAsync();
        await onCall.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/deployments/[0-9a-f-]{36}$"));
        await Assertions.Expect(onCall.Locator("h1")).ToContainTextAsync("safe restart of release 1");
        await Assertions.Expect(onCall.Locator("[data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(onCall.Locator("[data-lane=node1] [data-action=stop]")).ToHaveCountAsync(1);
        await Assertions.Expect(onCall.Locator("[data-lane=node1] [data-action=healthy]")).ToHaveCountAsync(1);

        var lead = await SignInAsync(await UserAsync(Role.Deployer));
        await lead.GotoAsync($"{BaseUrl}/services/{Service}");
        await lead.Locator("[data-circuit=on]").WaitForAsync();
        await lead.Locator("[data-testid=restart-service]").ClickAsync();
        await lead.Locator("[data-testid=confirm-restart]").ClickAsync();
        await lead.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/deployments/[0-9a-f-]{36}$"));
        // The URL changes before the new page replaces the service page (whose history table has status chips too).
        await Assertions.Expect(lead.Locator("h1")).ToContainTextAsync("safe restart of release 1");
        await Assertions.Expect(lead.Locator("[data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // The same container throughout: restarted in place, twice.
        var (_, after) = Assert.Single(await Containers.ServiceReplicasAsync(Service));
        Assert.Equal(replica.ID, after.ID);
        var restarts = await admin.GetFromJsonAsync<JsonElement>($"/api/deployments?service={Service}");
        Assert.Equal(2, restarts.EnumerateArray().Count(d => d.GetProperty("kind").GetString() == "Restart" && d.GetProperty("status").GetString() == "Succeeded"));
    }
}
