using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>Deleting a service from its page: nothing happens until its name is typed, then its replicas are stopped and the list says so.</summary>
public sealed class ServiceDeletionEndToEndTests() : ServiceBrowserTestBase("page-del-")
{
    [Fact]
    public async Task DeletingFromTheServicePage_NeedsTheNameTyped_ThenStopsTheReplicas_AndTheListSaysSo()
    {
        var ports = LabContainers.NextPorts(4);
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new { nodes = new[] { "node1" }, replicasPerNode = 2, ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 3 } }, update = new { monitorSeconds = 0 } },
        })).EnsureSuccessStatusCode();
        var release = (await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
        var deployment = (await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await LabContainers.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment}")).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(90), "the deployment");
        Assert.Equal(2, (await Containers.ServiceReplicasAsync(Service)).Count);

        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.GetByText("Delete this service").First.ClickAsync();
        var delete = page.Locator("[data-testid=delete-service-button]");
        await Assertions.Expect(delete).ToBeDisabledAsync();
        await page.Locator("[data-testid=delete-confirm-name] input, input[data-testid=delete-confirm-name]").First.FillAsync(Service[..^1]);
        await Assertions.Expect(delete).ToBeDisabledAsync();
        await page.Locator("[data-testid=delete-confirm-name] input, input[data-testid=delete-confirm-name]").First.FillAsync(Service);
        await delete.ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/services\\?deleted="), new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=service-deleted]")).ToContainTextAsync($"Deleted {Service}: 2 replica(s) stopped");
        await Assertions.Expect(page.Locator($"tr[data-service='{Service}']")).ToHaveCountAsync(0);
        Assert.Empty(await Containers.ServiceReplicasAsync(Service));
    }
}
