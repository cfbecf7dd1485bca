using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using ControlPanel.TestSupport.Consul;

namespace ControlPanel.Web.Tests.Consul;

/// <summary>
/// A host that joins by itself: its agent registers a 'docker' service naming its engine, and the panel lists the node
/// and deploys to it. The joined node's engine is one of the lab's (a second name for it), so the service placed on
/// it is not registered in Consul, which would list the replica under both names.
/// </summary>
public sealed class ConsulNodeJoinTests : DeployTestBase
{
    private readonly string _joined = "joined-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _port = LabContainers.NextPort();
    private ConsulStandIn _consul = default!;

    public override async Task InitializeAsync()
    {
        _consul = await ConsulStandIn.StartAsync(node: _joined);
        Factory.Settings["ControlPanel:Consul:Address"] = _consul.Address.ToString();
        Factory.Settings["ControlPanel:Consul:AllowUnixEndpoints"] = "true";
        // One client certificate for every discovered tcp:// host, as hosts built from one image share it.
        Factory.Settings["ControlPanel:Consul:NodeCertificatesDirectory"] = Lab.Current.Tls.ClientCertificates;
        await base.InitializeAsync();
    }

    [Fact]
    public async Task ANodeRegisteredInConsul_JoinsAndRunsADeployment_ThenLeavesAndGetsNoReplica()
    {
        var engine = Lab.SharedNodes[1];
        using var http = new HttpClient();
        var advertised = await http.PutAsJsonAsync(new Uri(_consul.AgentAddress(_joined), "/v1/agent/service/register"), new
        {
            ID = "docker", Name = "docker", Port = 2376,
            Meta = new Dictionary<string, string> { ["docker_endpoint"] = engine.Endpoint, ["label_pool"] = _joined },
        });
        Assert.True(advertised.IsSuccessStatusCode);

        var node = await WaitForNodeAsync(n => n.GetProperty("availability").GetString() == "Active");
        Assert.Equal(("Consul", engine.Endpoint, _joined), (node.GetProperty("origin").GetString(), node.GetProperty("endpoint").GetString(), node.GetProperty("labels").GetProperty("pool").GetString()));
        await SaveAsync(Service, "lab/php-fpm", Runtime());
        Succeeded(await DeployAsync(await ReleaseTagAsync(Service, "1")));
        var replica = Assert.Single(await ReplicasAsync(), r => r.Container.State == "running");
        Assert.Equal(engine.Name, replica.Node);
        var next = await ReleaseTagAsync(Service, "2");

        Assert.True((await http.PutAsync(new Uri(_consul.AgentAddress(_joined), "/v1/agent/service/deregister/docker"), null)).IsSuccessStatusCode);
        var left = await WaitForNodeAsync(n => n.GetProperty("availability").GetString() == "Left");
        Assert.Contains("Left Consul's catalog", left.GetProperty("availabilityReason").GetString(), StringComparison.Ordinal);

        var refused = await Deployer.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release = next });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"'{_joined}' is left", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(replica.Container.ID, Assert.Single(await ReplicasAsync(), r => r.Container.State == "running").Container.ID);
    }

    [Fact]
    public async Task ANodeWhoseAgentTurnsCritical_IsShownCriticalWithConsulsOutput()
    {
        using var http = new HttpClient();
        await http.PutAsJsonAsync(new Uri(_consul.AgentAddress(_joined), "/v1/agent/service/register"), new
        {
            ID = "docker", Name = "docker", Port = 2376, Meta = new Dictionary<string, string> { ["docker_endpoint"] = Lab.SharedNodes[1].Endpoint },
        });
        await WaitForNodeAsync(n => n.GetProperty("availability").GetString() == "Active");

        _consul.SetCheck(_joined, "serfHealth", "critical", "Agent not live or unreachable");

        var node = await WaitForNodeAsync(n => n.GetProperty("availability").GetString() == "Critical");
        Assert.Contains("Agent not live or unreachable", node.GetProperty("availabilityReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeAdvertisingATlsEngine_IsReachedWithTheConfiguredClientCertificates()
    {
        using var http = new HttpClient();
        (await http.PutAsJsonAsync(new Uri(_consul.AgentAddress(_joined), "/v1/agent/service/register"), new
        {
            ID = "docker", Name = "docker", Port = 2376, Meta = new Dictionary<string, string> { ["docker_endpoint"] = Lab.Current.Tls.Endpoint },
        })).EnsureSuccessStatusCode();

        var node = await WaitForNodeAsync(n => n.GetProperty("status").GetString() == "Reachable");

        Assert.Equal(Lab.Current.Tls.Endpoint, node.GetProperty("endpoint").GetString());
        Assert.False(node.GetProperty("insecureTransport").GetBoolean());
        Assert.False(string.IsNullOrEmpty(node.GetProperty("engine").GetProperty("version").GetString()));
    }

    private Dictionary<string, object> Runtime() => new()
    {
        ["nodes"] = new[] { _joined },
        ["ports"] = new[] { new { name = "PORT", @fixed = _port } },
        ["health"] = "FastCgi",
        ["fastCgiProbe"] = new { portName = "PORT", timeoutSeconds = 2 },
        ["stopSignal"] = "SIGQUIT",
        ["discovery"] = new { register = false },
        ["update"] = new { monitorSeconds = 0, progressDeadlineSeconds = 20 },
    };

    private async Task<JsonElement> WaitForNodeAsync(Func<JsonElement, bool> condition)
    {
        JsonElement found = default;
        await LabContainers.WaitUntilAsync(async () =>
        {
            var nodes = await Deployer.GetFromJsonAsync<JsonElement>("/api/nodes");
            var match = nodes.EnumerateArray().Where(n => n.GetProperty("name").GetString() == _joined).ToList();
            if (match.Count == 1 && condition(match[0])) found = match[0];
            return found.ValueKind != JsonValueKind.Undefined;
        }, TimeSpan.FromSeconds(10), $"node {_joined} in the API");
        return found;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _consul.DisposeAsync();
    }
}
