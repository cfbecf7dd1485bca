using ControlPanel.TestSupport.Consul;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>
/// Blocking queries and ACL refusal as Consul documents them. Assertions are on indexes and content, never on durations:
/// a wait that expires shows as the same index coming back.
/// </summary>
public sealed class ConsulStandInBlockingAndAclTests
{
    private static object Service(string id, string name) => new { ID = id, Name = name, Port = 8080, Check = new { TTL = "30s" } };

    [Fact]
    public async Task BlockingQuery_WithNoChange_ReturnsTheSameIndexWhenTheWaitExpires()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        await http.PutAsync("/v1/agent/service/register", Service("web-1", "web"));
        var (_, index) = await http.GetAsync("/v1/catalog/services");

        var (body, after) = await http.GetAsync($"/v1/catalog/services?index={index}&wait=1s");

        Assert.Equal(index, after);
        Assert.True(body.TryGetProperty("web", out _));
    }

    [Fact]
    public async Task BlockingQuery_ReturnsWithAHigherIndexAndTheNewData_WhenARegistrationHappensDuringTheWait()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        var (before, index) = await http.GetAsync("/v1/catalog/services");
        Assert.False(before.TryGetProperty("web", out _));

        var watching = http.GetAsync($"/v1/health/service/web?index={index}&wait=5m");
        await http.PutAsync("/v1/agent/service/register", Service("web-1", "web"));
        var (body, after) = await watching;

        Assert.True(after > index, $"index {after} after a registration, was {index}");
        Assert.Equal("web-1", Assert.Single(body.EnumerateArray()).GetProperty("Service").GetProperty("ID").GetString());
    }

    [Fact]
    public async Task BlockingQuery_WithAStaleIndex_AnswersAtOnceWithTheCurrentIndex()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        var (_, stale) = await http.GetAsync("/v1/catalog/nodes");
        await http.PutAsync("/v1/catalog/register", new { Node = "host-2", Address = "127.0.0.1" });

        // A 10-minute wait that came back proves the stale index did not block.
        var (nodes, index) = await http.GetAsync($"/v1/catalog/nodes?index={stale}&wait=10m");

        Assert.True(index > stale);
        Assert.Equal(2, nodes.GetArrayLength());
    }

    [Fact]
    public async Task BlockingQuery_OnOneService_IgnoresWritesToAnother()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);
        await http.PutAsync("/v1/agent/service/register", Service("web-1", "web"));
        var (_, index) = await http.GetAsync("/v1/health/service/web");

        var watching = http.GetAsync($"/v1/health/service/web?index={index}&wait=1s");
        await http.PutAsync("/v1/agent/service/register", Service("api-1", "api"));
        await http.PutAsync("/v1/agent/check/pass/service:api-1");
        var (_, after) = await watching;

        Assert.Equal(index, after);
        Assert.True(consul.Index > index);
        await http.PutAsync("/v1/agent/check/pass/service:web-1");
        Assert.True((await http.GetAsync($"/v1/health/service/web?index={index}&wait=1m")).Index > index);
    }

    [Fact]
    public async Task BlockingQuery_WithABadWait_IsRefusedWithTheParameterNamed()
    {
        await using var consul = await ConsulStandIn.StartAsync();
        using var http = new ConsulHttp(consul.Address);

        using var response = await http.SendAsync(HttpMethod.Get, "/v1/catalog/services?index=1&wait=soon");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("wait", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAToken_RequestsWithoutItOrWithAnotherAreRefused403_AndNothingChanges()
    {
        await using var consul = await ConsulStandIn.StartAsync(token: "s3cret-consul-token");
        using var anonymous = new ConsulHttp(consul.Address);
        using var wrong = new ConsulHttp(consul.Address, "not-the-token");
        using var right = new ConsulHttp(consul.Address, "s3cret-consul-token");
        using var register = JsonBody(Service("web-1", "web"));

        using var noToken = await anonymous.SendAsync(HttpMethod.Get, "/v1/catalog/services");
        using var otherToken = await wrong.SendAsync(HttpMethod.Get, "/v1/catalog/services");
        using var refusedWrite = await SendAsync(consul.Address, HttpMethod.Put, "/v1/agent/service/register", register, "Bearer not-the-token");

        Assert.Equal(403, (int)noToken.StatusCode);
        Assert.StartsWith("Permission denied", await noToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(403, (int)otherToken.StatusCode);
        Assert.Equal("ACL not found", await otherToken.Content.ReadAsStringAsync());
        Assert.Equal(403, (int)refusedWrite.StatusCode);
        Assert.False((await right.GetAsync("/v1/catalog/services")).Body.TryGetProperty("web", out _));
    }

    [Fact]
    public async Task WithAToken_TheHeaderBearerAndQueryFormsAreAccepted_AndTheTokenIsNotRecorded()
    {
        await using var consul = await ConsulStandIn.StartAsync(token: "s3cret-consul-token");
        using var header = new ConsulHttp(consul.Address, "s3cret-consul-token");
        using var anonymous = new ConsulHttp(consul.Address);

        await header.PutAsync("/v1/agent/service/register", Service("web-1", "web"));
        using var bearer = await SendAsync(consul.Address, HttpMethod.Get, "/v1/catalog/service/web", null, "Bearer s3cret-consul-token");
        using var query = await anonymous.SendAsync(HttpMethod.Get, "/v1/catalog/service/web?token=s3cret-consul-token");
        using var leader = await anonymous.SendAsync(HttpMethod.Get, "/v1/status/leader");

        Assert.Equal(200, (int)bearer.StatusCode);
        Assert.Equal(200, (int)query.StatusCode);
        Assert.Equal(200, (int)leader.StatusCode);
        Assert.Equal(4, consul.Calls.Count);
        Assert.DoesNotContain(consul.Calls, c => c.Query.Contains("s3cret", StringComparison.Ordinal));
        Assert.Equal(["PUT /v1/agent/service/register", "GET /v1/catalog/service/web", "GET /v1/catalog/service/web", "GET /v1/status/leader"],
            consul.Calls.Select(c => $"{c.Method} {c.Path}"));
    }

    private static StringContent JsonBody(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> SendAsync(Uri address, HttpMethod method, string path, HttpContent? content, string authorization)
    {
        using var client = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await client.SendAsync(request);
    }
}
