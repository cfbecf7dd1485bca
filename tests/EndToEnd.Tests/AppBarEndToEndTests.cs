using ControlPanel.Core.Security;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>The app bar stays one row: its links in a row where they fit, folded into a menu where they would wrap.</summary>
public sealed class AppBarEndToEndTests : BrowserTestBase
{
    [Fact]
    public async Task NarrowWindow_LinksFoldIntoAMenu_ThatNavigates()
    {
        var page = await SignInAsync(await UserAsync(Role.Admin));
        var links = page.Locator("header nav[aria-label=Pages]");
        var menu = page.Locator("[data-testid=nav-menu] button");

        await page.SetViewportSizeAsync(1440, 900);
        await Assertions.Expect(links.GetByText("Registries")).ToBeVisibleAsync();
        await Assertions.Expect(menu).ToBeHiddenAsync();
        Assert.True(await AppBarHeightAsync() <= 64, "the app bar wraps at 1440 px");

        await page.SetViewportSizeAsync(1024, 900);
        await Assertions.Expect(links).ToBeHiddenAsync();
        Assert.True(await AppBarHeightAsync() <= 64, "the app bar wraps at 1024 px");
        await menu.ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Registries" }).ClickAsync();
        await page.WaitForURLAsync($"{BaseUrl}/registries");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Registries");

        Task<double> AppBarHeightAsync() => page.Locator("header").EvaluateAsync<double>("e => e.getBoundingClientRect().height");
    }
}
