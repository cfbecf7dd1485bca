using System.Text.Json;
using ControlPanel.TestSupport.Consul;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>The stand-in's agent, catalog and health endpoints against the semantics Consul's API reference documents.</summary>
public sealed class ConsulStandInServiceTests
{
    private static object Web(string id, object check) => new
    {
        ID = id,
        Name = "web",
        Tags = new[] { "release-3" },
        Address = "127.0.0.1",
        Port = 8081,
        Meta = new Dictionary<string, string> { ["deployment"] = "42" },
        Check = check,
    };

    [Fact]
    public async Task Register_ShowsTheServiceInCatalogAndHealth_WithItsTtlCheckCriticalUntilPassed()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);

        await http.PutAsync("/v1/agent/service/register", Web("web-1", new { TTL = "30s" }));

        var (services, _) = await http.GetAsync("/v1/catalog/services");
        Assert.Equal(["release-3"], services.GetProperty("web").EnumerateArray().Select(t => t.GetString()));
        var (catalog, _) = await http.GetAsync("/v1/catalog/service/web");
        var entry = Assert.Single(catalog.EnumerateArray());
        Assert.Equal("web-1", entry.GetProperty("ServiceID").GetString());
        Assert.Equal("consul-node1", entry.GetProperty("Node").GetString());
        Assert.Equal(8081, entry.GetProperty("ServicePort").GetInt32());
        Assert.Equal("42", entry.GetProperty("ServiceMeta").GetProperty("deployment").GetString());
        var (health, _) = await http.GetAsync("/v1/health/service/web");
        var instance = Assert.Single(health.EnumerateArray());
        Assert.Equal("critical", ConsulHttp.Check(instance, "service:web-1").GetProperty("Status").GetString());
        Assert.Equal("passing", ConsulHttp.Check(instance, "serfHealth").GetProperty("Status").GetString());
        Assert.Empty((await http.GetAsync("/v1/health/service/web?passing")).Body.EnumerateArray());

        await http.PutAsync("/v1/agent/check/pass/service:web-1?note=ready");

        var passing = Assert.Single((await http.GetAsync("/v1/health/service/web?passing")).Body.EnumerateArray());
        Assert.Equal("ready", ConsulHttp.Check(passing, "service:web-1").GetProperty("Output").GetString());
        var (agentServices, _) = await http.GetAsync("/v1/agent/services");
        Assert.Equal("web", agentServices.GetProperty("web-1").GetProperty("Service").GetString());
    }

    [Fact]
    public async Task TtlCheck_WarnThenFail_ChangesItsStatus_AndOnlyTtlChecksTakeOne()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        await http.PutAsync("/v1/agent/service/register", Web("web-1", new { TTL = "30s" }));

        await http.PutAsync("/v1/agent/check/warn/service:web-1?note=slow");
        Assert.Equal("warning", await CheckStatusAsync(http, "service:web-1"));
        Assert.Empty((await http.GetAsync("/v1/health/service/web?passing")).Body.EnumerateArray());
        await http.PutAsync("/v1/agent/check/fail/service:web-1?note=down");
        Assert.Equal("critical", await CheckStatusAsync(http, "service:web-1"));

        using var unknown = await http.SendAsync(HttpMethod.Put, "/v1/agent/check/pass/service:nothing");
        Assert.Equal(404, (int)unknown.StatusCode);
        using var notTtl = await http.SendAsync(HttpMethod.Put, "/v1/agent/check/pass/serfHealth");
        Assert.False(notTtl.IsSuccessStatusCode);
        Assert.Equal("passing", await CheckStatusAsync(http, "serfHealth"));
    }

    [Fact]
    public async Task Maintenance_AddsTheCriticalMaintenanceCheck_AndDisablingRemovesIt()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        await http.PutAsync("/v1/agent/service/register", Web("web-1", new { TTL = "30s", Status = "passing" }));

        await http.PutAsync("/v1/agent/service/maintenance/web-1?enable=true&reason=draining%20before%20stop");

        var instance = Assert.Single((await http.GetAsync("/v1/health/service/web")).Body.EnumerateArray());
        var maintenance = ConsulHttp.Check(instance, "_service_maintenance:web-1");
        Assert.Equal("critical", maintenance.GetProperty("Status").GetString());
        Assert.Equal("draining before stop", maintenance.GetProperty("Notes").GetString());
        Assert.Equal("web-1", maintenance.GetProperty("ServiceID").GetString());
        Assert.Empty((await http.GetAsync("/v1/health/service/web?passing")).Body.EnumerateArray());

        await http.PutAsync("/v1/agent/service/maintenance/web-1?enable=false");

        var back = Assert.Single((await http.GetAsync("/v1/health/service/web?passing")).Body.EnumerateArray());
        Assert.DoesNotContain(back.GetProperty("Checks").EnumerateArray(), c => c.GetProperty("CheckID").GetString() == "_service_maintenance:web-1");
        await http.PutAsync("/v1/agent/service/maintenance/web-1?enable=true");
        var defaulted = Assert.Single((await http.GetAsync("/v1/health/service/web")).Body.EnumerateArray());
        Assert.StartsWith("Maintenance mode is enabled", ConsulHttp.Check(defaulted, "_service_maintenance:web-1").GetProperty("Notes").GetString(), StringComparison.Ordinal);
        using var unknown = await http.SendAsync(HttpMethod.Put, "/v1/agent/service/maintenance/nothing?enable=true");
        Assert.Equal(404, (int)unknown.StatusCode);
        using var missingEnable = await http.SendAsync(HttpMethod.Put, "/v1/agent/service/maintenance/web-1");
        Assert.Equal(400, (int)missingEnable.StatusCode);
    }

    [Fact]
    public async Task Deregister_RemovesTheServiceAndItsChecks()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        await http.PutAsync("/v1/agent/service/register", Web("web-1", new { TTL = "30s" }));
        await http.PutAsync("/v1/agent/service/register", Web("web-2", new { TTL = "30s" }));

        await http.PutAsync("/v1/agent/service/deregister/web-1");

        var instance = Assert.Single((await http.GetAsync("/v1/catalog/service/web")).Body.EnumerateArray());
        Assert.Equal("web-2", instance.GetProperty("ServiceID").GetString());
        var (nodeChecks, _) = await http.GetAsync("/v1/health/node/consul-node1");
        Assert.Equal(["serfHealth", "service:web-2"], nodeChecks.EnumerateArray().Select(c => c.GetProperty("CheckID").GetString()).Order());
        await http.PutAsync("/v1/agent/service/deregister/web-2");
        Assert.False((await http.GetAsync("/v1/catalog/services")).Body.TryGetProperty("web", out _));
    }

    [Fact]
    public async Task HttpAndTcpChecks_AreRunByTheAgent_PassingWhenTheTargetAnswers()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        var answering = new Uri(consul.Address, "/v1/status/leader");
        await http.PutAsync("/v1/agent/service/register", Web("web-1", new { HTTP = answering.ToString(), Interval = "1s" }));
        await http.PutAsync("/v1/agent/service/register", Web("web-2", new { TCP = "127.0.0.1:1", Interval = "1s", Timeout = "1s" }));

        var health = await http.WatchUntilAsync("/v1/health/service/web", body => body.EnumerateArray()
            .Any(e => e.GetProperty("Checks").EnumerateArray().Any(c => c.GetProperty("CheckID").GetString() == "service:web-1" && c.GetProperty("Status").GetString() == "passing")));

        var byId = health.EnumerateArray().ToDictionary(e => e.GetProperty("Service").GetProperty("ID").GetString()!);
        Assert.Equal("passing", ConsulHttp.Check(byId["web-1"], "service:web-1").GetProperty("Status").GetString());
        Assert.Contains("200", ConsulHttp.Check(byId["web-1"], "service:web-1").GetProperty("Output").GetString(), StringComparison.Ordinal);
        Assert.Equal("critical", ConsulHttp.Check(byId["web-2"], "service:web-2").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task TtlNotRenewed_TurnsCritical_AndDeregisterCriticalServiceAfterReapsTheService()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        await http.PutAsync("/v1/agent/service/register", Web("web-1", new { TTL = "1s", Status = "passing" }));
        await http.PutAsync("/v1/agent/service/register", Web("web-2", new { TTL = "1h", DeregisterCriticalServiceAfter = "1s" }));

        var health = await http.WatchUntilAsync("/v1/health/service/web", body =>
            body.GetArrayLength() == 1 && ConsulHttp.Check(body[0], "service:web-1").GetProperty("Status").GetString() == "critical");

        var left = Assert.Single(health.EnumerateArray());
        Assert.Equal("TTL expired", ConsulHttp.Check(left, "service:web-1").GetProperty("Output").GetString());
    }

    [Fact]
    public async Task CatalogRegister_AdvertisesANodeAndItsDockerService_UntilDeregistered()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);

        await http.PutAsync("/v1/catalog/register", new
        {
            Node = "host-7",
            Address = "127.0.0.1",
            NodeMeta = new Dictionary<string, string> { ["role"] = "docker" },
            Service = new { ID = "docker", Service = "docker", Port = 2376, Meta = new Dictionary<string, string> { ["endpoint"] = "tcp://127.0.0.1:2376" } },
            Check = new { CheckID = "docker-api", Name = "Docker API", Status = "passing", ServiceID = "docker" },
        });

        var (nodes, _) = await http.GetAsync("/v1/catalog/nodes");
        Assert.Equal(["consul-node1", "host-7"], nodes.EnumerateArray().Select(n => n.GetProperty("Node").GetString()));
        var docker = Assert.Single((await http.GetAsync("/v1/health/service/docker?passing")).Body.EnumerateArray());
        Assert.Equal("tcp://127.0.0.1:2376", docker.GetProperty("Service").GetProperty("Meta").GetProperty("endpoint").GetString());
        Assert.Equal("docker", docker.GetProperty("Node").GetProperty("Meta").GetProperty("role").GetString());

        await http.PutAsync("/v1/catalog/deregister", new { Node = "host-7" });

        Assert.Single((await http.GetAsync("/v1/catalog/nodes")).Body.EnumerateArray());
        Assert.Empty((await http.GetAsync("/v1/health/service/docker")).Body.EnumerateArray());
    }

    [Fact]
    public async Task EachAgentIsANode_OfOneCatalog_AndAStoppedAgentTurnsItsNodeCritical()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        var second = await consul.AddAgentAsync("consul-node2");
        using var first = new ConsulHttp(consul.Address);
        using var other = new ConsulHttp(second);
        await other.PutAsync("/v1/agent/service/register", Web("web-9", new { TTL = "30s", Status = "passing" }));

        var entry = Assert.Single((await first.GetAsync("/v1/catalog/service/web")).Body.EnumerateArray());
        Assert.Equal("consul-node2", entry.GetProperty("Node").GetString());
        Assert.Empty((await first.GetAsync("/v1/agent/services")).Body.EnumerateObject());

        await consul.StopAgentAsync("consul-node2");

        Assert.Empty((await first.GetAsync("/v1/health/service/web?passing")).Body.EnumerateArray());
        await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync("/v1/agent/services"));
    }

    private static async Task<string?> CheckStatusAsync(ConsulHttp http, string checkId)
    {
        var (checks, _) = await http.GetAsync("/v1/health/node/consul-node1");
        return checks.EnumerateArray().Single(c => c.GetProperty("CheckID").GetString() == checkId).GetProperty("Status").GetString();
    }
}
