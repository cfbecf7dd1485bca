using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.Bench;

/// <summary>
/// The Nodes page open in headless Chromium: a MutationObserver, installed before the page's first byte, notes the
/// wall-clock time at which each node's row (<c>tr[data-node]</c>) first enters the DOM. Read back at the end, so
/// the browser never holds up a registration.
/// </summary>
public sealed class NodesPageWatcher : IAsyncDisposable
{
    private const string RecordRows = """
        window.__rowsSeen = {};
        new MutationObserver(() => {
          for (const row of document.querySelectorAll('tr[data-node]')) {
            if (!(row.dataset.node in window.__rowsSeen)) window.__rowsSeen[row.dataset.node] = performance.timeOrigin + performance.now();
          }
        }).observe(document, { childList: true, subtree: true });
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;

    private NodesPageWatcher(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _page = page;
    }

    /// <summary>Signs in as <paramref name="user"/>, opens /nodes and waits until its live connection is up.</summary>
    public static async Task<NodesPageWatcher> OpenAsync(Uri panel, string user, string password)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Lab.Current.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        var baseUrl = panel.ToString().TrimEnd('/');
        await page.GotoAsync($"{baseUrl}/account/login");
        await page.Locator("input[name=userName]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"{baseUrl}/containers", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });

        await page.AddInitScriptAsync(RecordRows);
        // Blazor's circuit: once its WebSocket is open the page is live, so that no registration lands before it listens.
        var circuit = page.WaitForWebSocketAsync(new PageWaitForWebSocketOptions { Predicate = ws => ws.Url.Contains("/_blazor", StringComparison.Ordinal) });
        await page.GotoAsync($"{baseUrl}/nodes");
        await circuit;
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new NodesPageWatcher(playwright, browser, page);
    }

    /// <summary>Node name → when its row first entered the page's DOM.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> RowsSeenAsync()
    {
        var seen = await _page.EvaluateAsync<Dictionary<string, double>>("() => window.__rowsSeen");
        return seen.ToDictionary(s => s.Key, s => DateTimeOffset.FromUnixTimeMilliseconds(0).AddMilliseconds(s.Value), StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
