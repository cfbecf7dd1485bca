using ControlPanel.Core.Security;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>
/// Ticking every replica of one service on the containers page opens that service's log view, which follows its
/// replicas across deployments, rather than a view of these containers that ends with them.
/// </summary>
public sealed class SelectedReplicasLogsEndToEndTests() : ServiceBrowserTestBase("picked-")
{
    [Fact]
    public async Task TickingEveryReplicaOfAService_OpensTheServicesLogView()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        var replicas = await DeployLabWebAsync(admin, replicasPerNode: 2);

        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.Locator("input[data-testid=filter-text]").FillAsync(Service);
        await Assertions.Expect(page.Locator("tr[data-container]")).ToHaveCountAsync(replicas.Count, new() { Timeout = 15_000 });
        await page.Locator("[data-testid=select-all]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=open-logs-selected]")).ToContainTextAsync($"{replicas.Count} selected", new() { IgnoreCase = true });
        await page.Locator("[data-testid=open-logs-selected]").ClickAsync();

        await page.WaitForURLAsync($"{BaseUrl}/logs?service={Service}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(Service);
    }
}
