using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using ControlPanel.TestSupport.Consul;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>The service page shows Consul's view of each replica beside Docker's, and follows it live.</summary>
public sealed class ConsulServicePageEndToEndTests() : ServiceBrowserTestBase("page-consul-")
{
    private ConsulStandIn _consul = default!;

    public override async Task InitializeAsync()
    {
        _consul = await ConsulStandIn.StartAsync(node: "node1");
        Panel.Settings["ControlPanel:Consul:Address"] = _consul.Address.ToString();
        Panel.Settings["ControlPanel:Consul:NodeService"] = "";
        Panel.Settings["ControlPanel:Consul:Agents:node1"] = _consul.AgentAddress("node1").ToString();
        await base.InitializeAsync();
    }

    [Fact]
    public async Task AReplicasConsulCheck_IsShownBesideItsDockerHealth_AndFollowedWhenItTurnsCritical()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        var replica = await DeployLabWebAsync(admin);

        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var cell = page.Locator("[data-testid=replicas] [data-testid=consul-state]");
        await Assertions.Expect(cell).ToContainTextAsync("passing");

        _consul.SetCheck("node1", $"service:{Service}-{replica.ID[..12]}", "critical", "HTTP GET /health: 503 Service Unavailable");

        await Assertions.Expect(cell).ToContainTextAsync("critical");
        await Assertions.Expect(cell).ToContainTextAsync("503 Service Unavailable");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _consul.DisposeAsync();
    }
}
