using System.Text.Json;
using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.Consul;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>The client's requests and parsing against the request and response examples of Consul 1.16's API docs.</summary>
public sealed class ConsulClientContractTests
{
    private const string Token = "b1gs33cr3t-0000-4c0d-9f00-contract";
    private static readonly NodeDefinition NodeA = new("node-a", "tcp://node-a.example:2376", new Dictionary<string, string>());

    internal static ConsulClient Client(string address, string? datacenter = null, Dictionary<string, string>? agents = null, string? token = Token) =>
        new(new HttpClient(), Options.Create(new ConsulOptions { Address = address, Token = token, Datacenter = datacenter, Agents = agents ?? [] }));

    [Fact]
    public async Task Register_SendsTheDocumentedServiceDefinitionToTheNodesAgent()
    {
        await using var agent = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ""));
        var client = Client("http://127.0.0.1:1", agents: new() { ["node-a"] = agent.Address });
        var registration = new ServiceRegistration("redis1", "redis", "127.0.0.1", 8000, ["primary", "v1"], new Dictionary<string, string> { ["redis_version"] = "4.0" },
            new ServiceCheck("service:redis1", "redis health", Http: "http://127.0.0.1:8000/health", Interval: TimeSpan.FromSeconds(10),
                Timeout: TimeSpan.FromSeconds(5), DeregisterCriticalAfter: TimeSpan.FromMinutes(90)));

        await client.RegisterAsync(NodeA, registration, CancellationToken.None);

        var request = Assert.Single(agent.Requests);
        Assert.Equal(("PUT", "/v1/agent/service/register", "?replace-existing-checks=true"), (request.Method, request.Path, request.Query));
        Assert.Equal(Token, request.Header("X-Consul-Token"));
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("redis1", root.GetProperty("ID").GetString());
        Assert.Equal("redis", root.GetProperty("Name").GetString());
        Assert.Equal(["primary", "v1"], root.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("127.0.0.1", root.GetProperty("Address").GetString());
        Assert.Equal(8000, root.GetProperty("Port").GetInt32());
        Assert.Equal("4.0", root.GetProperty("Meta").GetProperty("redis_version").GetString());
        var check = root.GetProperty("Check");
        Assert.Equal("service:redis1", check.GetProperty("CheckID").GetString());
        Assert.Equal("http://127.0.0.1:8000/health", check.GetProperty("HTTP").GetString());
        Assert.Equal(("10s", "5s", "90m"), (check.GetProperty("Interval").GetString(), check.GetProperty("Timeout").GetString(), check.GetProperty("DeregisterCriticalServiceAfter").GetString()));
        Assert.False(check.TryGetProperty("TTL", out _));
    }

    [Fact]
    public async Task Register_WithTtlCheck_SendsTheTtlAsAGoDuration()
    {
        await using var agent = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ""));
        var client = Client("http://127.0.0.1:1", agents: new() { ["node-a"] = agent.Address });

        await client.RegisterAsync(NodeA, new ServiceRegistration("web-1", "web", "", 8080, [], new Dictionary<string, string>(),
            new ServiceCheck("ttl:web-1", "panel keeps alive", Ttl: TimeSpan.FromMilliseconds(1500))), CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(agent.Requests).Body);
        Assert.Equal("1500ms", body.RootElement.GetProperty("Check").GetProperty("TTL").GetString());
    }

    [Fact]
    public async Task AgentWrites_UseTheDocumentedMethodsPathsAndQueries()
    {
        await using var agent = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ""));
        var client = Client("http://127.0.0.1:1", agents: new() { ["node-a"] = agent.Address });

        await client.DeregisterAsync(NodeA, "my-service-id", CancellationToken.None);
        await client.SetMaintenanceAsync(NodeA, "my-service-id", true, "For the docs", CancellationToken.None);
        await client.SetMaintenanceAsync(NodeA, "my-service-id", false, null, CancellationToken.None);
        await client.ReportTtlAsync(NodeA, "my-check-id", CheckStatus.Passing, null, CancellationToken.None);
        await client.ReportTtlAsync(NodeA, "my-check-id", CheckStatus.Warning, "slow", CancellationToken.None);
        await client.ReportTtlAsync(NodeA, "my-check-id", CheckStatus.Critical, "down: 502", CancellationToken.None);

        Assert.Equal(
        [
            "PUT /v1/agent/service/deregister/my-service-id",
            "PUT /v1/agent/service/maintenance/my-service-id?enable=true&reason=For%20the%20docs",
            "PUT /v1/agent/service/maintenance/my-service-id?enable=false",
            "PUT /v1/agent/check/pass/my-check-id",
            "PUT /v1/agent/check/warn/my-check-id?note=slow",
            "PUT /v1/agent/check/fail/my-check-id?note=down%3A%20502",
        ], agent.Requests.Select(r => $"{r.Method} {r.Path}{r.Query}"));
        Assert.All(agent.Requests, r => Assert.Equal(Token, r.Header("X-Consul-Token")));
    }

    [Fact]
    public void AgentAddress_DefaultsToTheNodesHostOnPort8500_AndFollowsTheOverride()
    {
        var client = Client("https://consul.example:8501", agents: new() { ["node-b"] = "http://127.0.0.1:18500" });

        Assert.Equal(new Uri("https://node-a.example:8500/"), client.AgentAddress(NodeA));
        Assert.Equal(new Uri("https://127.0.0.1:8500/"), client.AgentAddress(new NodeDefinition("local", "unix:///var/run/docker.sock", new Dictionary<string, string>())));
        Assert.Equal(new Uri("http://127.0.0.1:18500/"), client.AgentAddress(NodeA with { Name = "node-b" }));
    }

    [Fact]
    public async Task CatalogServices_ParsesTheDocumentedExample_AndSendsIndexWaitAndDatacenter()
    {
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ConsulDocExamples.CatalogServices, 42));
        var client = Client(consul.Address, datacenter: "dc2");

        var services = await client.ServicesAsync(7, TimeSpan.FromSeconds(30), CancellationToken.None);

        var request = Assert.Single(consul.Requests);
        Assert.Equal(("GET", "/v1/catalog/services", "?dc=dc2&index=7&wait=30s"), (request.Method, request.Path, request.Query));
        Assert.Equal(Token, request.Header("X-Consul-Token"));
        Assert.Equal((42UL, true), (services.Index, services.Changed));
        Assert.Equal(["consul", "postgresql", "redis"], services.Value.Keys.Order());
        Assert.Equal(["primary", "secondary"], services.Value["postgresql"]);
        Assert.Empty(services.Value["redis"]);
    }

    [Fact]
    public async Task CatalogService_ParsesTheDocumentedExample()
    {
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ConsulDocExamples.CatalogService, 51));
        var client = Client(consul.Address);

        var web = await client.ServiceAsync("web", 0, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal("/v1/catalog/service/web?index=0&wait=5s", Assert.Single(consul.Requests) is var r ? r.Path + r.Query : null);
        var instance = Assert.Single(web.Value);
        Assert.Equal(new CatalogServiceInstance("t2.320", "192.168.10.10", "32a2a47f7992:nodea:5000", "web", "172.17.0.3", 5000, instance.Tags, instance.Meta), instance);
        Assert.Equal(["prod"], instance.Tags);
        Assert.Equal("baz", instance.Meta["web_meta_value"]);
        Assert.Equal(51UL, web.Index);
    }

    [Fact]
    public async Task CatalogNodes_ParsesTheDocumentedExample()
    {
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ConsulDocExamples.CatalogNodes, 9));
        var client = Client(consul.Address);

        var nodes = await client.NodesAsync(0, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("/v1/catalog/nodes", Assert.Single(consul.Requests).Path);
        Assert.Equal(2, nodes.Value.Count);
        Assert.Equal(("40e4a748-2192-161a-0510-9bf59fe950b5", "baz", "10.1.10.11", "dc1"), (nodes.Value[0].Id, nodes.Value[0].Name, nodes.Value[0].Address, nodes.Value[0].Datacenter));
        Assert.Equal("t2.large", nodes.Value[1].Meta["instance_type"]);
    }

    [Fact]
    public async Task HealthService_AsksForPassingOnly_AndParsesTheDocumentedExample()
    {
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ConsulDocExamples.HealthService, 12));
        var client = Client(consul.Address, datacenter: "dc1");

        var health = await client.HealthAsync("my-service", passingOnly: true, 3, TimeSpan.FromSeconds(30), CancellationToken.None);

        var request = Assert.Single(consul.Requests);
        Assert.Equal(("/v1/health/service/my-service", "?passing=true&dc=dc1&index=3&wait=30s"), (request.Path, request.Query));
        var entry = Assert.Single(health.Value);
        Assert.Equal(("foobar", "10.1.10.12"), (entry.Node.Name, entry.Node.Address));
        Assert.Equal(("redis", "redis", "10.1.10.12", 8000), (entry.Service.ServiceId, entry.Service.ServiceName, entry.Service.Address, entry.Service.Port));
        Assert.Equal("4.0", entry.Service.Meta["redis_version"]);
        Assert.Equal(["service:redis", "serfHealth"], entry.Checks.Select(c => c.CheckId));
        Assert.Equal(("redis", ""), (entry.Checks[0].ServiceId, entry.Checks[1].ServiceId));
        Assert.Equal(CheckStatus.Passing, entry.Status);
    }

    [Fact]
    public async Task HealthService_AWarningAndACriticalCheck_AreReportedWithTheirOutput()
    {
        var body = new System.Text.RegularExpressions.Regex("\"Status\": \"passing\"").Replace(ConsulDocExamples.HealthService, "\"Status\": \"critical\"", 1)
            .Replace("\"Output\": \"\", \"ServiceID\": \"redis\"", "\"Output\": \"connection refused\", \"ServiceID\": \"redis\"");
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, body, 12));

        var entry = Assert.Single((await Client(consul.Address).HealthAsync("redis", false, 0, TimeSpan.FromSeconds(1), CancellationToken.None)).Value);

        Assert.DoesNotContain("passing", Assert.Single(consul.Requests).Query, StringComparison.Ordinal);
        Assert.Equal((CheckStatus.Critical, "connection refused"), (entry.Checks[0].Status, entry.Checks[0].Output));
        Assert.Equal(CheckStatus.Critical, entry.Status);
    }

    [Fact]
    public async Task Leader_ParsesTheDocumentedExample()
    {
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ConsulDocExamples.Leader));

        Assert.Equal("10.1.10.12:8300", await Client(consul.Address).LeaderAsync(CancellationToken.None));
        Assert.Equal(("GET", "/v1/status/leader", ""), Assert.Single(consul.Requests) is var r ? (r.Method, r.Path, r.Query) : default);
    }

    [Fact]
    public async Task AnAnswerFilteredByAcls_IsFlagged_SoAPartialListIsNotTakenForTheWholeCatalog()
    {
        await using var consul = await RecordingConsul.StartAsync(r => new ConsulAnswer(200, "[]", 7, FilteredByAcls: r.Path.Contains("docker", StringComparison.Ordinal)));
        var client = Client(consul.Address);

        var filtered = await client.HealthAsync("docker", false, 0, TimeSpan.FromSeconds(1), CancellationToken.None);
        var whole = await client.HealthAsync("web", false, 0, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(filtered.FilteredByAcls);
        Assert.False(whole.FilteredByAcls);
    }
}
