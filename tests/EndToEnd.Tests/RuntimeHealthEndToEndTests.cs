using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>Choosing a health check in the runtime form fills in its probe (shown in the JSON too), which then saves as a new revision.</summary>
public sealed class RuntimeHealthEndToEndTests() : ServiceBrowserTestBase("page-health-")
{
    [Fact]
    public async Task ChoosingFastCgi_WritesPhpFpmsPingIntoTheSpec_AndSavesIt()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/php-fpm",
            runtime = new { nodes = new[] { "node1" }, ports = new[] { new { name = "PORT", rangeStart = 9100, rangeEnd = 9109 } } },
        })).EnsureSuccessStatusCode();

        var page = await SignInAsync(await UserAsync(Role.Deployer));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.GetByText("Change how it runs").First.ClickAsync();
        await page.Locator("[data-testid=runtime-health]").ClickAsync();
        await page.GetByText("FastCgi: PHP-FPM's ping").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Advanced (JSON)" }).ClickAsync();
        var json = page.Locator("[data-testid=runtime-json] textarea, textarea[data-testid=runtime-json]").First;
        await Assertions.Expect(json).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"fastCgiProbe\""));
        await page.Locator("[data-testid=save-runtime]").ClickAsync();
        await Assertions.Expect(page.GetByText("Saved as revision 2.")).ToBeVisibleAsync();

        var runtime = (await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}")).GetProperty("runtime");
        Assert.Equal("FastCgi", runtime.GetProperty("health").GetString());
        var probe = runtime.GetProperty("fastCgiProbe");
        Assert.Equal(("/ping", "pong", "PORT"), (probe.GetProperty("path").GetString(), probe.GetProperty("response").GetString(), probe.GetProperty("portName").GetString()));
    }
}
