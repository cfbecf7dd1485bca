using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.TestSupport;
using ControlPanel.TestSupport.Consul;

namespace ControlPanel.Web.Tests.Consul;

/// <summary>
/// The panel process stopped, Consul changed behind its back (a registration lost, one of its own left over), and the
/// panel started again on the same data: the reconcile at start makes Consul match what runs.
/// </summary>
public sealed class ConsulPanelRestartTests : IAsyncLifetime
{
    private readonly string _service = "restart-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _ports = LabContainers.NextPorts(8);
    private readonly LabContainers _engines = new();
    private ConsulStandIn _consul = default!;
    private PanelProcess _panel = default!;
    private HttpClient _api = default!;

    public async Task InitializeAsync()
    {
        _consul = await ConsulStandIn.StartAsync(node: Lab.SharedNodes[0].Name);
        foreach (var node in Lab.SharedNodes.Skip(1)) await _consul.AddAgentAsync(node.Name);
        var settings = new Dictionary<string, string>
        {
            ["ControlPanel__Consul__Address"] = _consul.Address.ToString(),
            ["ControlPanel__Consul__NodeService"] = "",
        };
        foreach (var node in Lab.SharedNodes) settings[$"ControlPanel__Consul__Agents__{node.Name}"] = _consul.AgentAddress(node.Name).ToString();
        _panel = new PanelProcess(settings);
        await _panel.RunCommandAsync("correct horse battery staple", "admin", "create", "--user", "lead", "--password-stdin", "--role", "Admin");
        var token = await _panel.RunCommandAsync(null, "token", "create", "--user", "lead");
        _api = new HttpClient { BaseAddress = _panel.BaseAddress };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    [Fact]
    public async Task APanelRestart_PutsBackALostRegistration_AndRemovesItsOwnLeftover()
    {
        await _panel.StartAsync();
        (await _api.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await _api.PutAsJsonAsync($"/api/services/{_service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new { nodes = Lab.SharedNodes.Select(n => n.Name).ToArray(), ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 7 } }, update = new { monitorSeconds = 0 } },
        })).EnsureSuccessStatusCode();
        var release = await (await _api.PostAsJsonAsync($"/api/services/{_service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>();
        var deployment = await (await _api.PostAsJsonAsync($"/api/services/{_service}/deployments", new { release = release.GetProperty("number").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
        await LabContainers.WaitUntilAsync(async () => (await _api.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.GetProperty("id").GetGuid()}")).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(90), "the deployment");
        var registered = (await InstancesAsync()).Order().ToList();
        Assert.Equal(3, registered.Count);

        await _panel.KillAsync();
        using var http = new HttpClient();
        var lost = registered[0];
        var lostNode = (await http.GetFromJsonAsync<JsonElement>(new Uri(_consul.Address, $"/v1/catalog/service/{_service}"))).EnumerateArray()
            .Single(e => e.GetProperty("ServiceID").GetString() == lost).GetProperty("Node").GetString()!;
        (await http.PutAsync(new Uri(_consul.AgentAddress(lostNode), $"/v1/agent/service/deregister/{lost}"), null)).EnsureSuccessStatusCode();
        var node1 = Lab.SharedNodes[0].Name;
        (await http.PutAsJsonAsync(new Uri(_consul.AgentAddress(node1), "/v1/agent/service/register"), new
        {
            ID = $"{_service}-0123456789ab", Name = _service, Address = "127.0.0.1", Port = 1,
            Meta = new Dictionary<string, string> { ["managed_by"] = "controlpanel", ["controlpanel_service"] = _service, ["controlpanel_node"] = node1 },
        })).EnsureSuccessStatusCode();
        Assert.Equal(3, (await InstancesAsync()).Count);

        await _panel.StartAsync();

        await LabContainers.WaitUntilAsync(async () => (await InstancesAsync()).Order().SequenceEqual(registered), TimeSpan.FromSeconds(30),
            "the restarted panel's reconcile to restore the registrations");
    }

    private async Task<List<string>> InstancesAsync()
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<JsonElement>(new Uri(_consul.Address, $"/v1/catalog/service/{_service}"))).EnumerateArray()
            .Select(e => e.GetProperty("ServiceID").GetString()!).ToList();
    }

    public async Task DisposeAsync()
    {
        foreach (var (node, c) in await _engines.ServiceReplicasAsync(_service))
            await _engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        await _engines.DisposeAsync();
        await _panel.DisposeAsync();
        await _consul.DisposeAsync();
        _api.Dispose();
    }
}
