using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.Core.Timeline;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>A real container whose health check fails stays unhealthy past a webhook's threshold: one alert, on the timeline too.</summary>
public sealed class UnhealthyAlertTests : ApiTestBase
{
    private readonly string _service = "sick-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task AContainerUnhealthyLongerThanTheThreshold_SendsOneUnhealthyTooLongAlert()
    {
        using var admin = await Factory.CreateClientAsync(Role.Admin);
        await using var receiver = new WebhookReceiver();
        var created = await admin.PostAsJsonAsync("/api/webhooks", new
        {
            name = "on-call", url = receiver.Url, kinds = new[] { FleetEventKind.UnhealthyTooLong }, unhealthyFor = "00:00:05", allowPrivateAddress = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var node = Lab.SharedNodes[2];
        await Factory.WaitUntilWatchingAsync(node.Name);
        var id = await MisbehavingContainers.RunUnhealthyAsync(Containers, node, _service);

        // The panel watches the shared lab, where other tests' containers turn unhealthy too: look at this one's only.
        var about = new List<WebhookReceiver.Received>();
        await LabContainers.WaitUntilAsync(() =>
            Task.FromResult((about = receiver.Requests.Where(r => r.Body.Contains(id, StringComparison.Ordinal)).ToList()).Count > 0),
            TimeSpan.FromSeconds(60), "the alert about the container");
        var request = about[0];
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("UnhealthyTooLong", body.RootElement.GetProperty("event").GetProperty("kind").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("event").GetProperty("containerId").GetString());
        JsonElement[] entries = [];
        await LabContainers.WaitUntilAsync(async () =>
            (entries = (await Http.GetFromJsonAsync<JsonElement[]>($"/api/services/{_service}/timeline?kind=UnhealthyTooLong"))!).Length > 0,
            TimeSpan.FromSeconds(30), "the alert on the service's timeline");
        Assert.Equal(id, Assert.Single(entries).GetProperty("containerId").GetString());
        // Still unhealthy, the same container alerts once per de-duplication window, not on every later check.
        Assert.Single(receiver.Requests, r => r.Body.Contains(id, StringComparison.Ordinal));
    }
}
