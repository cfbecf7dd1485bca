using ControlPanel.Core.Security;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>
/// axe-core over every page, in the light and the dark theme (each as the system asks for it): no serious or
/// critical violation (contrast, names, landmarks, headings...); and each page has one h1 and a main landmark,
/// the signed-in ones also the app bar's header and nav.
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
                problems.AddRange(await MissingStructureAsync(signedIn, path, "h1", "main, [role=main]", "header", "header nav"));
                checkedPages++;
            }
            await signedOut.GotoAsync(BaseUrl + "/account/login");
            problems.AddRange(await ViolationsAsync(signedOut, $"/account/login ({scheme})"));
            problems.AddRange(await MissingStructureAsync(signedOut, "/account/login", "h1", "main"));
            checkedPages++;
        }

        Assert.True(problems.Count == 0, $"{problems.Count} serious or critical violation(s) over {checkedPages} pages:\n" + string.Join("\n", problems));
        Assert.Equal(2 * (pages.Count + 1), checkedPages);
    }

    /// <summary>Each selector should match exactly one element.</summary>
    private static async Task<IEnumerable<string>> MissingStructureAsync(IPage page, string path, params string[] selectors)
    {
        var problems = new List<string>();
        foreach (var selector in selectors)
        {
            var count = await page.Locator(selector).CountAsync();
            if (count != 1) problems.Add($"{path}: {count} elements match '{selector}', not one");
        }
        return problems;
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
