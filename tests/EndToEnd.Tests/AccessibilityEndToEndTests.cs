using ControlPanel.Core.Security;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>
/// axe-core over every page, in the light and the dark theme (each as the system asks for it): no serious or
/// critical violation (contrast, names, landmarks, headings...).
/// </summary>
public sealed class AccessibilityEndToEndTests() : EveryPageTestBase("a11y-")
{
    [Fact]
    public async Task EveryPage_InLightAndDarkMode_HasNoSeriousOrCriticalViolation()
    {
        var pages = await PagesWithContentAsync();
        pages.AddRange(["/account/denied", "/no-such-page"]);
        var signedIn = await SignInAsync(await UserAsync(Role.Admin));
        var signedOut = await (await Browser.NewContextAsync()).NewPageAsync();

        var problems = new List<string>();
        var checkedPages = 0;
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await signedIn.EmulateMediaAsync(new() { ColorScheme = scheme });
            await signedOut.EmulateMediaAsync(new() { ColorScheme = scheme });
            foreach (var path in pages)
            {
                await signedIn.GotoAsync(BaseUrl + path);
                await signedIn.Locator("[data-circuit=on]").WaitForAsync(new() { Timeout = 15_000 });
                problems.AddRange(await ViolationsAsync(signedIn, $"{path} ({scheme})"));
                checkedPages++;
            }
            await signedOut.GotoAsync(BaseUrl + "/account/login");
            problems.AddRange(await ViolationsAsync(signedOut, $"/account/login ({scheme})"));
            checkedPages++;
        }

        Assert.True(problems.Count == 0, $"{problems.Count} serious or critical violation(s) over {checkedPages} pages:\n" + string.Join("\n", problems));
        Assert.Equal(2 * (pages.Count + 1), checkedPages);
    }

    private static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string where)
    {
        // Let the circuit's first renders (live data, the theme) settle before looking.
        await page.EvaluateAsync("() => new Promise(done => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(done)), 300))");
        var result = await page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Id} ({v.Impact}, {v.Nodes.Length} element(s): {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))})");
    }
}
