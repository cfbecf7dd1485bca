using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.Bench;

/// <summary>
/// A person watching: the Nodes page open in headless Chromium, whose CPU and memory cells hold a live Watch on every
/// node (the panel then samples them every 2 s instead of every 10 s).
/// </summary>
public sealed class LiveNodesPage : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;
    private readonly string _baseUrl;

    private LiveNodesPage(IPlaywright playwright, IBrowser browser, IPage page, string baseUrl) =>
        (_playwright, _browser, _page, _baseUrl) = (playwright, browser, page, baseUrl);

    /// <summary>Signs in (not measured) and leaves the panel for a blank page, so no circuit is open yet.</summary>
    public static async Task<LiveNodesPage> SignInAsync(Uri panel, string user, string password)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Lab.Current.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        var baseUrl = panel.ToString().TrimEnd('/');
        await page.GotoAsync($"{baseUrl}/account/login");
        await page.Locator("input[name=userName]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"{baseUrl}/containers", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.GotoAsync("about:blank");
        return new LiveNodesPage(playwright, browser, page, baseUrl);
    }

    /// <summary>Opens the Nodes page and waits until its circuit shows every node's live CPU.</summary>
    public async Task WatchAsync(int nodes)
    {
        await _page.GotoAsync($"{_baseUrl}/nodes");
        await _page.WaitForFunctionAsync("n => document.querySelectorAll('[data-testid=node-cpu-percent]').length >= n", nodes);
    }

    /// <summary>How many nodes the open page shows live CPU for.</summary>
    public Task<int> NodesShownAsync() => _page.Locator("[data-testid=node-cpu-percent]").CountAsync();

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
