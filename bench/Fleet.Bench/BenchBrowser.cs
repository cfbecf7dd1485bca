using Microsoft.Playwright;

namespace ControlPanel.Bench;

/// <summary>The benchmarks' headless Chromium, and the one sign-in their measured page loads then share.</summary>
public static class BenchBrowser
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = TestSupport.Lab.Current.Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    /// <summary>
    /// A new context signed in as <paramref name="user"/> (every page load in it carries the session cookie, as a
    /// returning user's does), and the page that signed in, now on /containers.
    /// </summary>
    public static async Task<(IBrowserContext Context, IPage Page)> SignInAsync(IBrowser browser, string baseUrl, (string UserName, string Password) user)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        // The machine is shared with builds and test runs: a step that is not measured may wait longer than Playwright's 30 s.
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{baseUrl}/account/login");
        await page.Locator("input[name=userName]").FillAsync(user.UserName);
        await page.Locator("input[name=password]").FillAsync(user.Password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"{baseUrl}/containers", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        return (context, page);
    }
}
