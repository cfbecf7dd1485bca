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
        var ports = LabContainers.NextPorts(4);
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new { nodes = new[] { "node1" }, ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 3 } }, update = new { monitorSeconds = 0 } },
        })).EnsureSuccessStatusCode();
        var release = await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>();
        var deployment = await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release = release.GetProperty("number").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
        await LabContainers.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.GetProperty("id").GetGuid()}")).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(90), "the deployment");
        var (_, replica) = Assert.Single(await Containers.ServiceReplicasAsync(Service));

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
