using System.Net.Http.Json;
using ControlPanel.Infrastructure.Consul;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests.Consul;

/// <summary>The reconcile pass: Consul made to match what runs, touching only what the panel registered.</summary>
public sealed class ConsulReconcileTests : ConsulDeployTestBase
{
    [Fact]
    public async Task Reconcile_PutsBackALostRegistration_RemovesThePanelsOrphan_AndLeavesOthersAlone()
    {
        var reconciler = Factory.Services.GetRequiredService<ConsulReconciler>();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(reconciler.Passes >= 1), TimeSpan.FromSeconds(30), "the reconcile pass at start");
        Succeeded(await DeployAsync(await ReleasePhpAsync("1")));
        var registered = await CatalogAsync();
        var lost = registered[0];
        using var http = new HttpClient();
        Assert.True((await http.PutAsync(new Uri(Consul.AgentAddress(lost.Node.Node), $"/v1/agent/service/deregister/{lost.Service.ID}"), null)).IsSuccessStatusCode);
        var node1 = Lab.SharedNodes[0].Name;
        await RegisterAsync(http, node1, new
        {
            ID = $"{Service}-deadbeef0000", Name = Service, Address = "127.0.0.1", Port = 1,
            Meta = new Dictionary<string, string> { ["managed_by"] = "controlpanel", ["controlpanel_service"] = Service, ["controlpanel_node"] = node1 },
        });
        await RegisterAsync(http, node1, new { ID = "registered-by-someone-else", Name = Service, Address = "127.0.0.1", Port = 2 });
        Assert.Equal(4, (await CatalogAsync()).Count);

        await reconciler.ReconcileAsync(default);

        var after = await CatalogAsync();
        Assert.Equal(registered.Select(e => e.Service.ID).Append("registered-by-someone-else").Order(), after.Select(e => e.Service.ID).Order());
    }

    private async Task RegisterAsync(HttpClient http, string node, object registration)
    {
        var response = await http.PutAsJsonAsync(new Uri(Consul.AgentAddress(node), "/v1/agent/service/register"), registration);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
