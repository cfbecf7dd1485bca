using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests.FirstPaint;

/// <summary>
/// Pages are first painted with css/first-paint.css alone; MudBlazor's full stylesheet is applied right after
/// that frame (js/boot.js). This checks, page by page, that the first frame already looks like the finished page:
/// every element's computed style is the same with first-paint.css alone as with the full stylesheet.
/// With CONTROLPANEL_WRITE_FIRST_PAINT_CSS=1 it (re)writes first-paint.css from the rules these pages use; a
/// MudBlazor upgrade or a new component on a page is a reason to do that (then rebuild and run it again).
/// </summary>
public sealed partial class FirstPaintStylesheetTests() : EveryPageTestBase("paint-")
{
    [Fact]
    public async Task EveryPage_FirstPaintedWithTheFirstPaintStylesheetAlone_LooksAsWithTheFullStylesheet()
    {
        var paths = await PagesWithContentAsync();
        var signedIn = (await SignInAsync(await UserAsync(Role.Admin))).Context;
        var signedOut = await Browser.NewContextAsync();
        var pages = paths.Select(p => (Context: signedIn, Path: p)).Append((signedOut, "/account/login")).ToList();

        if (Environment.GetEnvironmentVariable("CONTROLPANEL_WRITE_FIRST_PAINT_CSS") == "1")
        {
            // The running panel still serves the file it was built with: compare after a rebuild.
            Assert.Fail($"css/first-paint.css written ({await WriteFirstPaintCssAsync(pages)} bytes); rebuild and run this test again without CONTROLPANEL_WRITE_FIRST_PAINT_CSS");
        }

        var problems = new List<string>();
        var compared = 0;
        foreach (var (context, path) in pages)
        {
            var alone = await OpenPrerenderedAsync(context, path, fullStylesheet: false);
            var full = await OpenPrerenderedAsync(context, path, fullStylesheet: true);
            var aloneStyles = await alone.EvaluateAsync<Dictionary<string, string>>(FirstPaintScripts.StyleHashes);
            var fullStyles = await full.EvaluateAsync<Dictionary<string, string>>(FirstPaintScripts.StyleHashes);
            var common = aloneStyles.Keys.Intersect(fullStyles.Keys).ToList();
            Assert.True(common.Count >= 10, $"{path}: only {common.Count} elements in common between the two loads");
            compared += common.Count;
            foreach (var key in common.Where(k => aloneStyles[k] != fullStyles[k]).Take(3))
                problems.Add($"{path} {key}: {await DifferenceAsync(alone, full, key)}");
            await alone.CloseAsync();
            await full.CloseAsync();
        }

        Assert.True(problems.Count == 0,
            "The first frame differs from the finished page (regenerate css/first-paint.css: CONTROLPANEL_WRITE_FIRST_PAINT_CSS=1, see this test):\n" + string.Join("\n", problems));
        Assert.True(compared > 500, $"only {compared} elements compared over {pages.Count} pages");
    }

    /// <summary>
    /// The page as prerendered (Blazor's and MudBlazor's scripts are not loaded, so nothing re-renders it), with
    /// first-paint.css and, if asked, the full stylesheet, once boot.js has switched that one on.
    /// </summary>
    private async Task<IPage> OpenPrerenderedAsync(IBrowserContext context, string path, bool fullStylesheet)
    {
        var page = await context.NewPageAsync();
        await page.RouteAsync(fullStylesheet ? ScriptsRegex() : ScriptsAndFullStylesheetRegex(), route => route.AbortAsync());
        var response = await page.GotoAsync(BaseUrl + path);
        Assert.True(response is { Status: 200 } && page.Url == BaseUrl + path, $"{path} answered {response?.Status} at {page.Url}"); // not a sign-in redirect or a not-found page
        await page.WaitForFunctionAsync(fullStylesheet
            ? "() => { const l = document.querySelector('link[data-after-first-paint]'); return l.media === 'all' && l.sheet && l.sheet.cssRules.length > 0; }"
            : "() => document.querySelector('link[data-after-first-paint]').media === 'all'");
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        return page;
    }

    private static async Task<string> DifferenceAsync(IPage alone, IPage full, string key)
    {
        static Dictionary<string, string> Parse(string style) => style.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(':', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First().ElementAtOrDefault(1) ?? "");
        var a = Parse(await alone.EvaluateAsync<string>(FirstPaintScripts.StyleOf, key));
        var f = Parse(await full.EvaluateAsync<string>(FirstPaintScripts.StyleOf, key));
        return string.Join("; ", f.Keys.Union(a.Keys).Where(k => a.GetValueOrDefault(k) != f.GetValueOrDefault(k)).Take(4)
            .Select(k => $"{k} is '{a.GetValueOrDefault(k) ?? "(unset)"}', finished '{f.GetValueOrDefault(k) ?? "(unset)"}'"));
    }

    private async Task<int> WriteFirstPaintCssAsync(List<(IBrowserContext Context, string Path)> pages)
    {
        var keys = new HashSet<string>();
        IPage? last = null;
        foreach (var (context, path) in pages)
        {
            if (last is not null) await last.CloseAsync();
            last = await OpenPrerenderedAsync(context, path, fullStylesheet: true);
            keys.UnionWith(await last.EvaluateAsync<string[]>(FirstPaintScripts.UsedRuleKeys));
        }
        var css = await last!.EvaluateAsync<string>(FirstPaintScripts.Serialize, keys.ToArray());
        var header = "/* Generated by tests/EndToEnd.Tests/FirstPaint/FirstPaintStylesheetTests.cs: MudBlazor's rules that the prerendered\n" +
                     "   pages use, so that they paint before the full stylesheet is applied. Do not edit; regenerate. */\n";
        await File.WriteAllTextAsync(Path.Combine(PanelFactory.WebProjectDirectory(), "wwwroot", "css", "first-paint.css"), header + css);
        await last.CloseAsync();
        return header.Length + css.Length;
    }

    [GeneratedRegex(@"/_framework/blazor\.web\.[^/]*js$|/MudBlazor\.min\.[^/]*js$")]
    private static partial Regex ScriptsRegex();

    [GeneratedRegex(@"/_framework/blazor\.web\.[^/]*js$|/MudBlazor\.min\.[^/]*(js|css)$")]
    private static partial Regex ScriptsAndFullStylesheetRegex();
}
