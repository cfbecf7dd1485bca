using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>Dark mode follows the system until the user picks a theme in the app bar; the pick stays with the user.</summary>
public sealed partial class DarkModeEndToEndTests : BrowserTestBase
{
    private const string Light = "rgb(255, 255, 255)";
    private const string Dark = "rgb(50, 51, 61)"; // MudBlazor's dark background, #32333d

    [Fact]
    public async Task ThemeMenu_DarkChosen_StaysDarkAfterAReload_AndInTheUsersOtherBrowsers()
    {
        var user = await UserAsync(Role.Viewer);
        var page = await SignInAsync(user);
        Assert.Equal(Light, await BackgroundAsync(page));

        await page.Locator("[data-testid=theme-menu] button").ClickAsync();
        await page.Locator("[data-testid=theme-dark]").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", Dark);

        await page.ReloadAsync();
        await page.Locator("[data-circuit=on]").WaitForAsync();
        Assert.Equal(Dark, await BackgroundAsync(page));
        Assert.Contains("Theme: Dark", await page.Locator("[data-testid=theme-menu] button").GetAttributeAsync("aria-label") ?? "", StringComparison.Ordinal);
        // Dark from the server's first answer on: the prerendered page carries it before any script runs.
        Assert.Matches(DarkLayout(), await (await page.Context.APIRequest.GetAsync($"{BaseUrl}/containers")).TextAsync());

        var elsewhere = await SignInAsync(user);
        Assert.Equal(Dark, await BackgroundAsync(elsewhere));

        await elsewhere.Locator("[data-testid=theme-menu] button").ClickAsync();
        await elsewhere.Locator("[data-testid=theme-light]").ClickAsync();
        await Assertions.Expect(elsewhere.Locator("body")).ToHaveCSSAsync("background-color", Light);
        await page.ReloadAsync();
        Assert.Equal(Light, await BackgroundAsync(page));
    }

    [Fact]
    public async Task FollowingTheSystem_ADarkSystem_PaintsThePrerenderedPageDark()
    {
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        Assert.Equal(Dark, await BackgroundAsync(page));

        // Without Blazor's and MudBlazor's scripts the page stays as the server prerendered it: the first paint.
        var firstPaint = await page.Context.NewPageAsync();
        await firstPaint.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await firstPaint.RouteAsync(Scripts(), route => route.AbortAsync());
        await firstPaint.GotoAsync($"{BaseUrl}/nodes");
        Assert.Equal(Dark, await BackgroundAsync(firstPaint));
        Assert.StartsWith("rgba(255, 255, 255,", await firstPaint.Locator("h1").EvaluateAsync<string>("e => getComputedStyle(e).color"), StringComparison.Ordinal); // light text

        await firstPaint.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        Assert.Equal(Light, await BackgroundAsync(firstPaint));
    }

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    [GeneratedRegex(@"class=""mud-layout[^""]*\btheme-dark\b")]
    private static partial Regex DarkLayout();

    [GeneratedRegex(@"/_framework/blazor\.web\.[^/]*js$|/MudBlazor\.min\.[^/]*js$")]
    private static partial Regex Scripts();
}
