using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Security;
using ControlPanel.Core.Timeline;
using ControlPanel.Core.Webhooks;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// An alert whose receiver fails is retried; when the panel stops between two attempts, the next panel on the same
/// database makes the next attempt of the same delivery instead of dropping it.
/// </summary>
public sealed class WebhookRetryRestartTests : IAsyncLifetime
{
    private readonly LabContainers _containers = new();
    private LabDatabase _database = default!;

    public async Task InitializeAsync() => _database = await LabDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        await _database.DisposeAsync();
    }

    private PanelFactory Panel()
    {
        var panel = new PanelFactory(_database.ConnectionString);
        // Long enough that the first panel is surely gone before the retry is due.
        panel.Settings["ControlPanel:Webhooks:FirstRetryDelay"] = "00:00:15";
        return panel;
    }

    [Fact]
    public async Task ADeliveryWaitingForItsRetry_IsSentByTheNextPanel_WithTheSameDeliveryId()
    {
        await using var receiver = new WebhookReceiver { Otherwise = 503 };
        string container;
        await using (var first = Panel())
        {
            using var admin = await first.CreateClientAsync(Role.Admin);
            var created = await admin.PostAsJsonAsync("/api/webhooks", new
            {
                name = "retried", url = receiver.Url, kinds = new[] { FleetEventKind.OomKilled }, allowPrivateAddress = true,
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            await first.WaitUntilWatchingAsync(Lab.SharedNodes[0].Name);
            container = await MisbehavingContainers.RunOomAsync(_containers, Lab.SharedNodes[0], "retry-" + Guid.NewGuid().ToString("N")[..8]);
            await LabContainers.WaitUntilAsync(() => Task.FromResult(About(receiver, container).Count > 0), TimeSpan.FromSeconds(60), "the first attempt");
        }
        // The first panel stopped during the wait before attempt 2; the receiver works again.
        Assert.Single(About(receiver, container));
        receiver.Otherwise = 200;

        await using var second = Panel();
        using var viewer = await second.CreateClientAsync(Role.Viewer); // starts the panel, and with it the dispatcher
        await LabContainers.WaitUntilAsync(() => Task.FromResult(About(receiver, container).Count > 1), TimeSpan.FromSeconds(60), "the resumed attempt");

        var attempts = About(receiver, container);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].Headers[WebhookPayloads.DeliveryHeader], attempts[1].Headers[WebhookPayloads.DeliveryHeader]);
        using var admin2 = await second.CreateClientAsync(Role.Admin);
        var webhook = (await admin2.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/webhooks"))!.Single().GetProperty("id").GetGuid();
        var log = (await admin2.GetFromJsonAsync<System.Text.Json.JsonElement[]>($"/api/webhooks/{webhook}/deliveries"))!
            .Where(a => a.GetProperty("deliveryId").GetString() == attempts[0].Headers[WebhookPayloads.DeliveryHeader]).ToList();
        Assert.Equal([2, 1], log.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal(200, log[0].GetProperty("statusCode").GetInt32());
    }

    // The panel watches the shared lab, where other tests' containers are OOM-killed too: this test's container's only.
    private static List<WebhookReceiver.Received> About(WebhookReceiver receiver, string container) =>
        receiver.Requests.Where(r => r.Body.Contains(container, StringComparison.Ordinal)).ToList();
}
