using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests.Consul;

/// <summary>A host that died (its engine gone, Consul reporting it critical) must not hold up anyone else's deployment.</summary>
public sealed class ConsulDeadNodeTests : ConsulDeployTestBase
{
    protected override bool DiscoverNodes => true;

    [Fact]
    public async Task ANodeConsulReportsCritical_WhoseEngineIsGone_DoesNotFailOtherServicesRotations()
    {
        var dead = "dead-" + Guid.NewGuid().ToString("N")[..8];
        await Consul.AddAgentAsync(dead);
        using var http = new HttpClient();
        (await http.PutAsJsonAsync(new Uri(Consul.AgentAddress(dead), "/v1/agent/service/register"), new
        {
            ID = "docker", Name = "docker", Port = 2376,
            Meta = new Dictionary<string, string> { ["docker_endpoint"] = $"unix:///var/tmp/controlpanel-lab/{dead}/docker.sock" },
        })).EnsureSuccessStatusCode();
        await Consul.StopAgentAsync(dead);
        await LabContainers.WaitUntilAsync(async () => (await Deployer.GetFromJsonAsync<JsonElement>("/api/nodes")).EnumerateArray()
            .Any(n => n.GetProperty("name").GetString() == dead && n.GetProperty("availability").GetString() == "Critical"), TimeSpan.FromSeconds(10), $"{dead} to be critical");

        var deployment = Succeeded(await DeployAsync(await ReleasePhpAsync("1")));

        Assert.Equal(3, deployment.Steps.Count(s => s.Action == Core.Releases.DeploymentStepAction.RotateIn && !s.Failed));
        Assert.Equal(3, (await CatalogAsync()).Count);
    }
}
