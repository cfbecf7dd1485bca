using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>The real app on a Kestrel port, headless Debian Chromium driven by Playwright, and lab containers.</summary>
public abstract class BrowserTestBase : IAsyncLifetime
{
    private IPlaywright _playwright = default!;

    protected PanelFactory Panel { get; } = new();
    protected LabContainers Containers { get; } = new();
    protected IBrowser Browser { get; private set; } = default!;
    protected string BaseUrl { get; private set; } = "";

    public virtual async Task InitializeAsync()
    {
        Panel.UseKestrel(0);
        Panel.StartServer();
        BaseUrl = Panel.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Lab.Current.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Containers.DisposeAsync();
        await Panel.DisposeAsync();
    }

    /// <summary>Signs in through the sign-in page in a new page and waits for the containers page's circuit.</summary>
    /// <remarks>The page has a context of its own, which can open more pages with the same session.</remarks>
    protected async Task<IPage> SignInAsync((string UserName, string Password) user)
    {
        var page = await (await Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/containers");
        await page.Locator("input[name=userName]").FillAsync(user.UserName);
        await page.Locator("input[name=password]").FillAsync(user.Password);
        await page.Locator("button[type=submit]").ClickAsync();
        // The URL is enough (not its load event, which waits for every stylesheet and script): what counts is the
        // circuit, given the time a loaded machine can need for it.
        try
        {
            await page.WaitForURLAsync($"{BaseUrl}/containers", new() { WaitUntil = WaitUntilState.Commit, Timeout = 45_000 });
        }
        catch (TimeoutException)
        {
            // Once seen under a full run's load (not reproduced alone): say where the sign-in stopped and what it showed.
            var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            Assert.Fail($"Signing in as {user.UserName} did not reach /containers in 45 s; the page is {page.Url}, showing: {text[..Math.Min(400, text.Length)]}");
        }
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 45_000 });
        return page;
    }

    protected Task<(string UserName, string Password)> UserAsync(Role role) => Panel.CreateUserAsync(role);
}
