using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>An Admin adds a TLS node on the Nodes page, tests and saves it, opens it again, then removes it through the confirmation; a Viewer sees none of it.</summary>
public sealed class NodesPageEndToEndTests : BrowserTestBase
{
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}] input, input[data-testid={testId}], [data-testid={testId}] textarea, textarea[data-testid={testId}]").First;

    [Fact]
    public async Task AnAdmin_AddsTestsAndRemovesANode_WhileAViewerSeesNoSuchButtons()
    {
        var name = $"page-{Containers.RunId}";
        var page = await SignInAsync(await UserAsync(Role.Admin));
        await page.GotoAsync($"{BaseUrl}/nodes");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await page.Locator("[data-testid=add-node]").ClickAsync();
        await Field(page, "node-name").FillAsync(name);
        await Field(page, "node-endpoint").FillAsync("unix:///var/tmp/controlpanel-lab/nowhere/docker.sock");
        await page.Locator("[data-testid=save-node]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=node-editor]")).ToContainTextAsync("no Docker socket at /var/tmp/controlpanel-lab/nowhere/docker.sock");

        // The TLS engine: no test deploys there, so the removal below is not refused for someone else's replicas.
        var certificates = Lab.Current.Tls.ClientCertificates;
        await Field(page, "node-endpoint").FillAsync(Lab.Current.Tls.Endpoint);
        await Field(page, "node-ca").FillAsync(await File.ReadAllTextAsync(Path.Combine(certificates, "ca.pem")));
        await Field(page, "node-cert").FillAsync(await File.ReadAllTextAsync(Path.Combine(certificates, "cert.pem")));
        await Field(page, "node-key").FillAsync(await File.ReadAllTextAsync(Path.Combine(certificates, "key.pem")));
        await page.Locator("[data-testid=test-node]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=node-test-result]")).ToContainTextAsync("API 1.41");
        await page.Locator("[data-testid=save-node]").ClickAsync();
        var row = page.Locator($"tr[data-node='{name}']");
        await Assertions.Expect(row).ToContainTextAsync("reachable");
        await Assertions.Expect(page.Locator("[data-testid=node-editor]")).ToHaveCountAsync(0);

        // Editing shows which certificate is stored, never the key.
        await row.Locator("[data-testid=edit-node]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=stored-certificate]")).ToContainTextAsync("key stored encrypted");
        Assert.Empty(await Field(page, "node-key").InputValueAsync());
        Assert.DoesNotContain("PRIVATE KEY", await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await row.Locator("[data-testid=remove-node]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        var viewer = await SignInAsync(await UserAsync(Role.Viewer));
        await viewer.GotoAsync($"{BaseUrl}/nodes");
        await viewer.Locator("[data-circuit=on]").WaitForAsync();
        await Assertions.Expect(viewer.Locator("tr[data-node=node1]")).ToHaveCountAsync(1);
        await Assertions.Expect(viewer.Locator("[data-testid=add-node]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AContainerStartedOnANode_ChangesItsRunningCount_OnAnOpenPage_WithoutAReload()
    {
        var node = Lab.SharedNodes[1];
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/nodes");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var running = page.Locator($"tr[data-node='{node.Name}'] [data-testid=running]");
        await Assertions.Expect(running).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Refresh" })).ToHaveCountAsync(0);

        await Containers.RunAsync(node, "sigquit", "counted", stopSignal: "SIGQUIT");

        // The page follows the engine's own count (other tests' containers come and go on the shared node too).
        var shown = "";
        await LabContainers.WaitUntilAsync(async () =>
                (shown = await running.TextContentAsync() ?? "") == (await Containers.Client(node).System.GetSystemInfoAsync()).ContainersRunning.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(30), "the open page's running count to follow the engine");
        Assert.Equal(1, await page.Locator("[data-testid=nodes-live]").CountAsync());
    }
}
