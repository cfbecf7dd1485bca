using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>What on-call staff do at 3 a.m.: open the containers page, find the container, click, see it change.</summary>
public sealed class ContainersPageEndToEndTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();
    private readonly LabContainers _lab = new();
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;
    private string _baseUrl = "";
    private (string UserName, string Password) _operator;

    public async Task InitializeAsync()
    {
        _panel.UseKestrel(0);
        _panel.StartServer();
        _baseUrl = _panel.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        _operator = await _panel.CreateUserAsync(Core.Security.Role.Operator);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Lab.Current.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _lab.DisposeAsync();
        await _panel.DisposeAsync();
    }

    [Fact]
    public async Task StopStartRestart_ByClicking_ShowsEachNewStateWithoutReloading()
    {
        var node = Lab.SharedNodes[0];
        var name = $"{_lab.RunId}-api";
        var id = await _lab.RunAsync(node, "sigquit", "api", stopSignal: "SIGQUIT");
        var startedBefore = (await _lab.InspectAsync(node, id)).State!.StartedAt;

        var page = await _browser.NewPageAsync();
        page.Console += (_, m) => Console.WriteLine("console: " + m.Text);
        page.RequestFailed += (_, r) => Console.WriteLine("failed: " + r.Url);
        page.Response += (_, r) => { if (r.Status >= 400) Console.WriteLine($"http {r.Status}: {r.Url}"); };
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        await OpenInteractiveAsync(page);
        await page.Locator("input[data-testid=filter-text]").FillAsync(_lab.RunId);
        var row = page.Locator($"tr[data-container='{name}']");
        var state = row.Locator("[data-testid=state]");
        await Assertions.Expect(state).ToHaveTextAsync("running", new() { Timeout = 15_000 });

        await row.Locator("[data-action=stop]").ClickAsync();
        await Assertions.Expect(state).ToHaveTextAsync("exited", new() { Timeout = 15_000 });
        Assert.False((await _lab.InspectAsync(node, id)).State!.Running);

        await row.Locator("[data-action=start]").ClickAsync();
        await Assertions.Expect(state).ToHaveTextAsync("running", new() { Timeout = 15_000 });

        await row.Locator("[data-action=restart]").ClickAsync();
        await Assertions.Expect(page.GetByText($"Restart {name} on {node.Name}: done")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(state).ToHaveTextAsync("running");

        var after = (await _lab.InspectAsync(node, id)).State!;
        Assert.True(after.Running);
        Assert.NotEqual(startedBefore, after.StartedAt);
        Assert.Equal(2, navigations); // the sign-in page (redirected to) and the containers page; every change after that arrived live
    }

    [Fact]
    public async Task RestartedFromTheCommandLine_ShowsTheNewStateOnAnOpenPage()
    {
        var node = Lab.SharedNodes[2];
        var name = $"{_lab.RunId}-cli";
        var id = await _lab.RunAsync(node, "sigquit", "cli", stopSignal: "SIGQUIT");

        var page = await _browser.NewPageAsync();
        await OpenInteractiveAsync(page);
        await page.Locator("input[data-testid=filter-text]").FillAsync(_lab.RunId);
        var state = page.Locator($"tr[data-container='{name}'] [data-testid=state]");
        await Assertions.Expect(state).ToHaveTextAsync("running", new() { Timeout = 15_000 });

        await _lab.Client(node).Containers.StopContainerAsync(id, new global::Docker.DotNet.Models.ContainerStopParameters());

        await Assertions.Expect(state).ToHaveTextAsync("exited", new() { Timeout = 5_000 });
    }

    /// <summary>
    /// Opens the containers page as the Operator — through the sign-in page it redirects to — and waits
    /// for the circuit: prerendered buttons do nothing until then.
    /// </summary>
    private async Task OpenInteractiveAsync(IPage page)
    {
        await page.GotoAsync($"{_baseUrl}/containers");
        await page.Locator("input[name=userName]").FillAsync(_operator.UserName);
        await page.Locator("input[name=password]").FillAsync(_operator.Password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"{_baseUrl}/containers");
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 15_000 });
    }
}
