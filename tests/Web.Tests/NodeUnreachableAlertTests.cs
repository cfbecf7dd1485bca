using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.Core.Timeline;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A node's engine dies and comes back: the node's timeline shows one unreachable entry and one engine-restarted entry,
/// and a webhook subscribed to node outages gets one delivery. The engine is the test's own, so killing it disturbs no other test.
/// </summary>
public sealed class NodeUnreachableAlertTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private TemporaryEngine _engine = default!;

    public async Task InitializeAsync()
    {
        _engine = await TemporaryEngine.StartAsync();
        _factory.Settings["ControlPanel:Nodes:4:Name"] = "scratch";
        _factory.Settings["ControlPanel:Nodes:4:Endpoint"] = _engine.Endpoint;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task AnEngineKilledAndRestarted_IsOneOutageAndOneRestartOnTheNodesTimeline_AndOneAlert()
    {
        using var admin = await _factory.CreateClientAsync(Role.Admin);
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        await using var receiver = new WebhookReceiver();
        var created = await admin.PostAsJsonAsync("/api/webhooks", new
        {
            name = "nodes", url = receiver.Url, kinds = new[] { FleetEventKind.NodeUnreachable }, allowPrivateAddress = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // The panel watches scratch from its start: wait until it has seen the engine answer before taking it away.
        await LabContainers.WaitUntilAsync(async () => (await viewer.GetAsync("/api/nodes/scratch")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "the panel to reach scratch");

        _engine.Kill();
        var down = await WaitForAsync(viewer, FleetEventKind.NodeUnreachable);
        Assert.Equal("scratch", down.GetProperty("node").GetString());
        var alerts = await AboutScratchAsync(receiver);
        using (var body = JsonDocument.Parse(Assert.Single(alerts).Body))
        {
            Assert.Equal("NodeUnreachable", body.RootElement.GetProperty("event").GetProperty("kind").GetString());
            Assert.Equal("scratch", body.RootElement.GetProperty("event").GetProperty("node").GetString());
        }

        await _engine.RestartAsync();
        // Its socket refused connections meanwhile: the host was there, the engine was not, so it restarted.
        var back = await WaitForAsync(viewer, FleetEventKind.EngineRestarted);
        Assert.Contains("restarted", back.GetProperty("summary").GetString(), StringComparison.Ordinal);
        // However many reconnects the outage took, it is one entry each way and one alert.
        var timeline = (await viewer.GetFromJsonAsync<JsonElement[]>("/api/nodes/scratch/timeline"))!;
        Assert.Single(timeline, e => e.GetProperty("kind").GetString() == nameof(FleetEventKind.NodeUnreachable));
        Assert.Single(timeline, e => e.GetProperty("kind").GetString() == nameof(FleetEventKind.EngineRestarted));
        Assert.DoesNotContain(timeline, e => e.GetProperty("kind").GetString() == nameof(FleetEventKind.NodeReachable));
        Assert.Single(receiver.Requests, r => r.Body.Contains("\"scratch\"", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient viewer, FleetEventKind kind)
    {
        JsonElement[] entries = [];
        await LabContainers.WaitUntilAsync(async () =>
            (entries = (await viewer.GetFromJsonAsync<JsonElement[]>($"/api/nodes/scratch/timeline?kind={kind}"))!).Length > 0,
            TimeSpan.FromSeconds(60), $"{kind} on scratch's timeline");
        return Assert.Single(entries);
    }

    private static async Task<List<WebhookReceiver.Received>> AboutScratchAsync(WebhookReceiver receiver)
    {
        var about = new List<WebhookReceiver.Received>();
        await LabContainers.WaitUntilAsync(() =>
            Task.FromResult((about = receiver.Requests.Where(r => r.Body.Contains("\"scratch\"", StringComparison.Ordinal)).ToList()).Count > 0),
            TimeSpan.FromSeconds(60), "a delivery about scratch");
        return about;
    }
}
