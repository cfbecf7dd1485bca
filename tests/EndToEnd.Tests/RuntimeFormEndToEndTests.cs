using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A team lead changes how a service runs in the form, reviews the change in words, and deploys it.</summary>
public sealed class RuntimeFormEndToEndTests() : ServiceBrowserTestBase("page-rt-")
{
    [Fact]
    public async Task AnEnvironmentVariable_InTheForm_AndTheParallelism_InItsJson_AreReviewedInWords_AndTheNewReplicasRunWithThem()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        await DeployFirstReleaseAsync(admin);
        var page = await OpenRuntimeFormAsync(Role.Deployer);

        await FillAsync(page.Locator("[data-env=GREETING] [data-testid=env-value] input, [data-env=GREETING] input[data-testid=env-value]").First, "bonjour");
        await FillAsync(page.Locator("[data-env=DB_PASSWORD] [data-testid=env-value] input, [data-env=DB_PASSWORD] input[data-testid=env-value]").First, "n3w-secret");
        // The parallelism in the JSON tab, where the secret just typed shows masked: reading the JSON back keeps it.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Advanced (JSON)" }).ClickAsync();
        var json = Field(page, "runtime-json", "textarea");
        var text = await json.InputValueAsync();
        Assert.DoesNotContain("n3w-secret", text, StringComparison.Ordinal);
        await FillAsync(json, text.Replace("\"parallelism\": 1", "\"parallelism\": 2", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Tab, new() { Name = "Form" }).ClickAsync();
        await Assertions.Expect(Field(page, "update-parallelism")).ToHaveValueAsync("2");
        await page.Locator("[data-testid=save-runtime]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=runtime-saved]")).ToHaveTextAsync("Saved as revision 2.");

        await page.Locator("[data-testid=deploy-tag] input, input[data-testid=deploy-tag]").First.FillAsync("1");
        await page.Locator("[data-testid=review-deploy]").ClickAsync();
        var diff = page.Locator("[data-testid=deploy-diff] li");
        await Assertions.Expect(diff).ToHaveTextAsync(
        [
            "environment › DB_PASSWORD: ******** → ******** (changed)",
            "environment › GREETING: hello → bonjour",
            "update policy › parallelism: 1 → 2",
        ]);
        await Assertions.Expect(page.Locator("[data-testid=deploy-diff]")).Not.ToContainTextAsync("n3w-secret");
        await page.Locator("[data-testid=confirm-deploy]").ClickAsync();
        await page.WaitForURLAsync(new Regex("/deployments/[0-9a-f-]{36}$"));
        JsonElement deployment = default;
        await LabContainers.WaitUntilAsync(async () => (deployment = await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{page.Url.Split('/')[^1]}")).GetProperty("status").GetString() != "Running",
            TimeSpan.FromSeconds(90), "the deployment of the change");
        Assert.Equal(("Succeeded", 2), (deployment.GetProperty("status").GetString(), deployment.GetProperty("release").GetInt32()));

        var replicas = (await Containers.ServiceReplicasAsync(Service)).Where(r => r.Container.State == "running").ToList();
        Assert.Equal(2, replicas.Count);
        foreach (var (node, replica) in replicas)
        {
            Assert.Equal("2", replica.Labels[ReplicaLabels.Release]);
            var env = (await Containers.InspectAsync(Lab.SharedNodes.Single(n => n.Name == node), replica.ID)).Config!.Env;
            Assert.Contains("GREETING=bonjour", env);
            Assert.Contains("DB_PASSWORD=n3w-secret", env);
        }
    }

    [Fact]
    public async Task AnInvalidField_ShowsItsOwnMessage_AndSavesNothing_WhileTheJsonTabRoundTripsWithTheForm()
    {
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        await SaveServiceAsync(admin, LabContainers.NextPorts(4));
        var page = await OpenRuntimeFormAsync(Role.Deployer);
        var save = page.Locator("[data-testid=save-runtime]");

        await FillAsync(Field(page, "update-parallelism"), "0");
        var parallelism = page.Locator(".mud-grid-item", new() { Has = Field(page, "update-parallelism") });
        await Assertions.Expect(parallelism.Locator("[data-error]")).ToHaveTextAsync("update policy › parallelism must be at least 1; got 0.");
        await Assertions.Expect(page.Locator("[data-testid=runtime-form] [data-error]")).ToHaveCountAsync(1); // only that field is marked
        await Assertions.Expect(save).ToBeDisabledAsync();
        await FillAsync(Field(page, "update-parallelism"), "3");
        await Assertions.Expect(save).ToBeEnabledAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Advanced (JSON)" }).ClickAsync();
        var json = page.Locator("[data-testid=runtime-json] textarea, textarea[data-testid=runtime-json]").First;
        await Assertions.Expect(json).ToHaveValueAsync(new Regex("\"parallelism\": 3"));
        var text = await json.InputValueAsync();
        await FillAsync(json, text.Replace("\"parallelism\": 3", "\"parallelism\": \"three\"", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-error=json]")).ToHaveTextAsync(new Regex(@"^update policy › parallelism \(line \d+\) must be a whole number\.$"));
        await Assertions.Expect(save).ToBeDisabledAsync();
        await FillAsync(json, text.Replace("\"stopTimeoutSeconds\": 10", "\"stopTimeoutSeconds\": 25", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Tab, new() { Name = "Form" }).ClickAsync();
        await Assertions.Expect(Field(page, "runtime-stop-timeout")).ToHaveValueAsync("25");
        await Assertions.Expect(Field(page, "update-parallelism")).ToHaveValueAsync("3");

        var runtime = (await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}")).GetProperty("runtime");
        Assert.Equal(1, runtime.GetProperty("update").GetProperty("parallelism").GetInt32()); // nothing saved while it was invalid
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/revisions")).EnumerateArray());
    }

    private async Task<IPage> OpenRuntimeFormAsync(Role role)
    {
        var page = await SignInAsync(await UserAsync(role));
        await page.GotoAsync($"{BaseUrl}/services/{Service}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.GetByText("Change how it runs").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=runtime-form]")).ToBeVisibleAsync();
        return page;
    }

    private static ILocator Field(IPage page, string testId, string element = "input") =>
        page.Locator($"[data-testid={testId}] {element}, {element}[data-testid={testId}]").First;

    // A field takes its value when it loses focus, as a person tabbing on would leave it.
    private static async Task FillAsync(ILocator field, string value)
    {
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }

    private async Task SaveServiceAsync(HttpClient admin, int ports)
    {
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new
            {
                nodes = new[] { "node1" }, replicasPerNode = 2,
                environment = new object[] { new { name = "GREETING", value = "hello" }, new { name = "DB_PASSWORD", value = "s3cret", secret = true } },
                ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 3 } }, update = new { monitorSeconds = 0 },
            },
        })).EnsureSuccessStatusCode();
    }

    private async Task DeployFirstReleaseAsync(HttpClient admin)
    {
        await SaveServiceAsync(admin, LabContainers.NextPorts(4));
        var release = await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>();
        var deployment = await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release = release.GetProperty("number").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
        await LabContainers.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.GetProperty("id").GetGuid()}")).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(90), "the first deployment");
    }
}
