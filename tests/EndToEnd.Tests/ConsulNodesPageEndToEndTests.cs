using System.Net.Http.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using ControlPanel.TestSupport.Consul;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>"Buy a host, boot the image, it joins": the open Nodes page lists a node as soon as Consul advertises it.</summary>
public sealed class ConsulNodesPageEndToEndTests : BrowserTestBase
{
    private readonly string _joined = "joined-" + Guid.NewGuid().ToString("N")[..8];
    private ConsulStandIn _consul = default!;

    public override async Task InitializeAsync()
    {
        _consul = await ConsulStandIn.StartAsync(node: _joined);
        Panel.Settings["ControlPanel:Consul:Address"] = _consul.Address.ToString();
        Panel.Settings["ControlPanel:Consul:AllowUnixEndpoints"] = "true";
        await base.InitializeAsync();
    }

    [Fact]
    public async Task ANodeAdvertisedInConsul_AppearsOnTheOpenNodesPage_AndTurnsCriticalThere()
    {
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/nodes");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await Assertions.Expect(page.Locator($"tr[data-node={_joined}]")).ToHaveCountAsync(0);

        using var http = new HttpClient();
        (await http.PutAsJsonAsync(new Uri(_consul.AgentAddress(_joined), "/v1/agent/service/register"), new
        {
            ID = "docker", Name = "docker", Port = 2376, Meta = new Dictionary<string, string> { ["docker_endpoint"] = Lab.SharedNodes[2].Endpoint },
        })).EnsureSuccessStatusCode();

        var row = page.Locator($"tr[data-node={_joined}]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("reachable");
        await Assertions.Expect(row.Locator("[data-testid=availability]")).ToHaveAttributeAsync("data-availability", "Active");

        _consul.SetCheck(_joined, "serfHealth", "critical", "Agent not live or unreachable");

        await Assertions.Expect(row.Locator("[data-testid=availability]")).ToHaveAttributeAsync("data-availability", "Critical");
        await Assertions.Expect(row).ToContainTextAsync("Agent not live or unreachable");
    }

    [Fact]
    public async Task ConsulGoingDown_KeepsTheNodesShown_WithTheReasonAboveThem()
    {
        using var http = new HttpClient();
        (await http.PutAsJsonAsync(new Uri(_consul.AgentAddress(_joined), "/v1/agent/service/register"), new
        {
            ID = "docker", Name = "docker", Port = 2376, Meta = new Dictionary<string, string> { ["docker_endpoint"] = Lab.SharedNodes[2].Endpoint },
        })).EnsureSuccessStatusCode();
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/nodes");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await Assertions.Expect(page.Locator($"tr[data-node={_joined}]")).ToHaveCountAsync(1);

        await _consul.StopAgentAsync(_joined);

        var problem = page.Locator("[data-testid=directory-problem]");
        await Assertions.Expect(problem).ToContainTextAsync("Nodes from Consul may be stale");
        await Assertions.Expect(problem).ToContainTextAsync("unreachable");
        await Assertions.Expect(page.Locator($"tr[data-node={_joined}]")).ToContainTextAsync("reachable");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _consul.DisposeAsync();
    }
}
