using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.Core.Timeline;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>Outgoing webhooks delivered to a real HTTP receiver on a loopback port (hence allowPrivateAddress).</summary>
public sealed class WebhooksTests : IAsyncLifetime
{
    private const string Secret = "webhook-secret-canary-7f3a";
    private readonly PanelFactory _panel = new();
    private HttpClient _admin = default!;

    public async Task InitializeAsync()
    {
        // Retries quickly, so the test waits for outcomes rather than for the default backoff.
        _panel.Settings["ControlPanel:Webhooks:FirstRetryDelay"] = "00:00:00.05";
        _admin = await _panel.CreateClientAsync(Role.Admin);
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task MatchingEvent_SendsExactlyOneDeliveryWithValidSignature()
    {
        await using var receiver = new WebhookReceiver();
        var id = await CreateAsync(receiver.Url, [FleetEventKind.OomKilled], secret: Secret);

        Publish(FleetEventKind.BuildStarted, "c-other");
        Publish(FleetEventKind.OomKilled, "c-oom", "exited with code 137 (OOM killed)");
        // A second container's OOM kill is an alert of its own.
        Publish(FleetEventKind.OomKilled, "c-oom-2");
        var received = await receiver.WaitForAsync(2);
        Assert.Equal(2, (await WaitForAttemptsAsync(id, 2)).Length);

        Assert.Equal(2, received.Count);
        var first = received.Single(r => r.Body.Contains("c-oom\"", StringComparison.Ordinal));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(first.Body)));
        Assert.Equal(expected, first.Headers["X-ControlPanel-Signature"]);
        using var json = JsonDocument.Parse(first.Body);
        Assert.Equal(first.Headers["X-ControlPanel-Timestamp"], json.RootElement.GetProperty("sentAt").GetInt64().ToString());
        Assert.Equal("OomKilled", json.RootElement.GetProperty("event").GetProperty("kind").GetString());
        Assert.Equal("OomKilled", first.Headers["X-ControlPanel-Event"]);
    }

    [Fact]
    public async Task FailingReceiver_IsRetried_AndTheLogShowsEveryAttempt()
    {
        await using var receiver = new WebhookReceiver(500, 500);
        var id = await CreateAsync(receiver.Url, [FleetEventKind.CrashLoop]);

        Publish(FleetEventKind.CrashLoop, "c-loop");
        await receiver.WaitForAsync(3);
        var attempts = await WaitForAttemptsAsync(id, 3);

        Assert.Equal([3, 2, 1], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal([200, 500, 500], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Single(attempts.Select(a => a.GetProperty("deliveryId").GetGuid()).Distinct());
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task TenEventsForOneContainerInAWindow_SendOneDelivery()
    {
        await using var receiver = new WebhookReceiver();
        await CreateAsync(receiver.Url, [FleetEventKind.CrashLoop]);

        // A folded crash loop republished with a growing count, as the timeline does.
        for (var count = 1; count <= 10; count++) Publish(FleetEventKind.CrashLoop, "c-flapping", count: count);
        // Another container's loop is its own alert; once it has arrived, the ten before it have been dispatched.
        Publish(FleetEventKind.CrashLoop, "c-second");
        var received = await receiver.WaitForAsync(2);

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(received, r => r.Body.Contains("c-flapping", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("ftp://127.0.0.1/hook")]
    public async Task PrivateOrNonHttpUrl_IsRefusedWithoutTheFlag_NamingTheUrlField(string url)
    {
        var response = await _admin.PostAsJsonAsync("/api/webhooks", Request(url, [FleetEventKind.OomKilled], allowPrivate: false));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), problem.ToString());
        Assert.Empty((await _admin.GetFromJsonAsync<JsonElement[]>("/api/webhooks"))!);
    }

    [Fact]
    public async Task LoopbackUrl_IsAcceptedWhenAllowed_AndAudited()
    {
        await CreateAsync("http://127.0.0.1:9/hook", [FleetEventKind.NodeUnreachable], secret: Secret);

        var audit = await _admin.GetStringAsync("/api/audit?action=webhook.create");
        Assert.Contains("allowPrivateAddress=True", audit);
        Assert.DoesNotContain(Secret, audit);
        // Viewers read the audit log; a URL's path can be a token (Slack's are), so only its authority is recorded.
        Assert.Contains("http://127.0.0.1:9/...", audit);
        Assert.DoesNotContain("/hook", audit);
    }

    [Fact]
    public async Task Viewer_Gets403_AndNoResponseCarriesTheSecret()
    {
        var id = await CreateAsync("http://127.0.0.1:9/hook", [FleetEventKind.DeploymentFailed], secret: Secret);
        using var viewer = await _panel.CreateClientAsync(Role.Viewer);
        using var deployer = await _panel.CreateClientAsync(Role.Deployer);

        foreach (var client in new[] { viewer, deployer })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/webhooks")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/webhooks", Request("http://127.0.0.1:9/", [FleetEventKind.OomKilled], true))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        }
        var listed = await _admin.GetStringAsync("/api/webhooks");
        Assert.DoesNotContain(Secret, listed);
        Assert.Contains("\"hasSecret\":true", listed);
    }

    [Fact]
    public async Task SendTest_DeliversNow_AndReturnsTheReceiversStatus()
    {
        await using var receiver = new WebhookReceiver(503);
        var id = await CreateAsync(receiver.Url, [FleetEventKind.BuildFailed]);

        var result = await (await _admin.PostAsync($"/api/webhooks/{id}/test", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(503, result.GetProperty("statusCode").GetInt32());
        Assert.Single(receiver.Requests);
        Assert.True(JsonDocument.Parse(receiver.Requests.Single().Body).RootElement.GetProperty("test").GetBoolean());
    }

    private void Publish(FleetEventKind kind, string container, string summary = "something happened", int count = 1) =>
        _panel.Services.GetRequiredService<FleetEvents>().Publish(new FleetEvent
        {
            At = DateTimeOffset.UtcNow, Kind = kind, Summary = summary, Node = "node1", ContainerId = container, ContainerName = container,
            Service = "shop", Count = count,
        });

    private static object Request(string url, FleetEventKind[] kinds, bool allowPrivate, string? secret = null) =>
        new { name = "on-call", url, kinds, secret, allowPrivateAddress = allowPrivate };

    private async Task<Guid> CreateAsync(string url, FleetEventKind[] kinds, string? secret = null)
    {
        var response = await _admin.PostAsJsonAsync("/api/webhooks", Request(url, kinds, allowPrivate: true, secret));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement[]> AttemptsAsync(Guid id) => (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/webhooks/{id}/deliveries"))!;

    private async Task<JsonElement[]> WaitForAttemptsAsync(Guid id, int count)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
        {
            var attempts = await AttemptsAsync(id);
            if (attempts.Length >= count || DateTime.UtcNow > deadline) return attempts;
        }
    }
}
