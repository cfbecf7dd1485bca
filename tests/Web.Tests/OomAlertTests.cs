using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.Core.Timeline;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The whole alert path against the lab: a real container is OOM-killed by the kernel, the engine's events become
/// one OomKilled entry on its service's timeline, and that entry reaches a webhook receiver once, signed.
/// </summary>
public sealed class OomAlertTests : ApiTestBase
{
    private const string Secret = "oom-alert-secret-2c91";
    private readonly string _service = "oom-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task AContainerOomKilledUnderALowLimit_IsOnItsServicesTimeline_AndSendsOneSignedDelivery()
    {
        using var admin = await Factory.CreateClientAsync(Role.Admin);
        await using var receiver = new WebhookReceiver();
        var created = await admin.PostAsJsonAsync("/api/webhooks", new
        {
            name = "on-call", url = receiver.Url, kinds = new[] { FleetEventKind.OomKilled }, secret = Secret, allowPrivateAddress = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var webhook = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var node = Lab.SharedNodes[0];
        // The panel has just started: the kill must come once it listens to both nodes' events.
        await Factory.WaitUntilWatchingAsync(node.Name, Lab.SharedNodes[1].Name);
        var id = await MisbehavingContainers.RunOomAsync(Containers, node, _service);

        JsonElement[] entries = [];
        await LabContainers.WaitUntilAsync(async () =>
            (entries = (await Http.GetFromJsonAsync<JsonElement[]>($"/api/services/{_service}/timeline?kind=OomKilled"))!).Length > 0,
            TimeSpan.FromSeconds(60), "the OOM kill on the service's timeline");
        var oom = Assert.Single(entries);
        Assert.Equal(id, oom.GetProperty("containerId").GetString());
        Assert.Equal(137, oom.GetProperty("exitCode").GetInt32());

        // The panel watches the shared lab, where other tests' containers are OOM-killed too: look at this test's only.
        var request = Assert.Single(await ForAsync(receiver, id));
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(request.Body)));
        Assert.Equal(signature, request.Headers["X-ControlPanel-Signature"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("OomKilled", body.RootElement.GetProperty("event").GetProperty("kind").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("event").GetProperty("containerId").GetString());
        // A second container's kill is dispatched after anything more this one's could have caused (the dispatcher takes
        // events in order), so once it arrives, a duplicate for the first would be there too.
        var second = await MisbehavingContainers.RunOomAsync(Containers, Lab.SharedNodes[1], _service);
        Assert.Single(await ForAsync(receiver, second));
        Assert.Single(receiver.Requests, r => r.Body.Contains(id, StringComparison.Ordinal));
        // An attempt is logged once the receiver has answered, so the log can be a moment behind what the receiver got.
        JsonElement[] attempts = [];
        await LabContainers.WaitUntilAsync(async () =>
            (attempts = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/webhooks/{webhook}/deliveries"))!).Length == receiver.Requests.Count,
            TimeSpan.FromSeconds(30), "one logged attempt per request the receiver got");
        Assert.All(attempts, a => Assert.Equal(200, a.GetProperty("statusCode").GetInt32()));
        Assert.True(attempts.Length >= 2, $"{attempts.Length} attempts logged");
    }

    /// <summary>The deliveries about one container, once there is at least one (or after 60 s).</summary>
    private static async Task<List<WebhookReceiver.Received>> ForAsync(WebhookReceiver receiver, string containerId)
    {
        var about = new List<WebhookReceiver.Received>();
        await LabContainers.WaitUntilAsync(() =>
            Task.FromResult((about = receiver.Requests.Where(r => r.Body.Contains(containerId, StringComparison.Ordinal)).ToList()).Count > 0),
            TimeSpan.FromSeconds(60), $"a delivery about {containerId[..12]}");
        return about;
    }
}
