using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests.FirstPaint;

/// <summary>
/// Pages are first painted with the MudBlazor rules they use alone (css/first-paint.json); MudBlazor's full
/// stylesheet is applied right after that frame (js/boot.js). This checks, page by page, that the first frame already
/// looks like the finished page: every element's computed style is the same with those rules alone as with the full
/// stylesheet, and that every page has rules of its own listed.
/// With CONTROLPANEL_WRITE_FIRST_PAINT_CSS=1 it (re)writes those files from the rules each page uses; a
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
            Assert.Fail($"css/first-paint.json written ({await WriteFirstPaintRulesAsync(pages)} chars); rebuild and run this test again without CONTROLPANEL_WRITE_FIRST_PAINT_CSS");
        }

        var problems = new List<string>();
        var compared = 0;
        using var rulesFile = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(PanelFactory.WebProjectDirectory(), "wwwroot", "css", "first-paint.json")));
        var listed = rulesFile.RootElement.GetProperty("pages").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (context, path) in pages)
        {
            var alone = await OpenPrerenderedAsync(context, path, fullStylesheet: false);
            var full = await OpenPrerenderedAsync(context, path, fullStylesheet: true);
            var pageKey = await alone.EvaluateAsync<string>(PageKey);
            if (!listed.Contains(pageKey)) problems.Add($"{path}: css/first-paint.json lists no rules for '{pageKey}' (it is painted with every page's)");
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
            "The first frame differs from the finished page (regenerate css/first-paint.json: CONTROLPANEL_WRITE_FIRST_PAINT_CSS=1, see this test):\n" + string.Join("\n", problems));
        Assert.True(compared > 500, $"only {compared} elements compared over {pages.Count} pages");
    }

    /// <summary>
    /// The page as prerendered (Blazor's and MudBlazor's scripts are not loaded, so nothing re-renders it), with
    /// its first-paint rules and, if asked, the full stylesheet, once boot.js has asked for that one.
    /// </summary>
    private async Task<IPage> OpenPrerenderedAsync(IBrowserContext context, string path, bool fullStylesheet)
    {
        var page = await context.NewPageAsync();
        await page.RouteAsync(fullStylesheet ? ScriptsRegex() : ScriptsAndFullStylesheetRegex(), route => route.AbortAsync());
        var response = await page.GotoAsync(BaseUrl + path);
        Assert.True(response is { Status: 200 } && page.Url == BaseUrl + path, $"{path} answered {response?.Status} at {page.Url}"); // not a sign-in redirect or a not-found page
        await page.WaitForFunctionAsync(fullStylesheet
            ? "() => { const l = document.querySelector('link[data-after-first-paint]'); return l.sheet && l.sheet.cssRules.length > 0; }"
            : "() => document.querySelector('link[data-after-first-paint]').hasAttribute('href')"); // asked for after the first frame
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        return page;
    }

    /// <summary>The key the panel wrote on the page's first-paint style element (FirstPaintStyles.KeyOf).</summary>
    private const string PageKey = "() => document.querySelector('style[data-first-paint]').dataset.firstPaint";

    private static async Task<string> DifferenceAsync(IPage alone, IPage full, string key)
    {
        static Dictionary<string, string> Parse(string style) => style.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(':', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First().ElementAtOrDefault(1) ?? "");
        var a = Parse(await alone.EvaluateAsync<string>(FirstPaintScripts.StyleOf, key));
        var f = Parse(await full.EvaluateAsync<string>(FirstPaintScripts.StyleOf, key));
        return string.Join("; ", f.Keys.Union(a.Keys).Where(k => a.GetValueOrDefault(k) != f.GetValueOrDefault(k)).Take(4)
            .Select(k => $"{k} is '{a.GetValueOrDefault(k) ?? "(unset)"}', finished '{f.GetValueOrDefault(k) ?? "(unset)"}'"));
    }

    /// <summary>
    /// Writes css/first-paint.json: each rule any page uses, once, in the full stylesheet's order, and per page (the key
    /// the panel wrote into the page's first-paint style element: two paths of one route template share it) the indexes
    /// of the rules that page uses.
    /// </summary>
    private async Task<int> WriteFirstPaintRulesAsync(List<(IBrowserContext Context, string Path)> pages)
    {
        var keysByPage = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        IPage? last = null;
        foreach (var (context, path) in pages)
        {
            if (last is not null) await last.CloseAsync();
            last = await OpenPrerenderedAsync(context, path, fullStylesheet: true);
            var key = await last.EvaluateAsync<string>(PageKey);
            if (!keysByPage.TryGetValue(key, out var keys)) keysByPage[key] = keys = [];
            keys.UnionWith(await last.EvaluateAsync<string[]>(FirstPaintScripts.UsedRuleKeys));
        }
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var rulesByPage = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (page, keys) in keysByPage)
        {
            var rules = await last!.EvaluateAsync<string[][]>(FirstPaintScripts.RuleTexts, keys.ToArray());
            foreach (var rule in rules) texts[rule[0]] = rule[1];
            rulesByPage[page] = rules.Select(r => r[0]).ToArray();
        }
        await last!.CloseAsync();

        // "12" before "12/0" before "12/1" before "13": the full stylesheet's order, which the cascade depends on.
        var order = texts.Keys.OrderBy(k => int.Parse(k.Split('/')[0], CultureInfo.InvariantCulture))
            .ThenBy(k => k.Contains('/', StringComparison.Ordinal) ? int.Parse(k.Split('/')[1], CultureInfo.InvariantCulture) : -1).ToList();
        var index = order.Select((key, i) => (key, i)).ToDictionary(x => x.key, x => x.i, StringComparer.Ordinal);
        var json = new StringBuilder();
        json.Append("{\n  \"generatedBy\": ").Append(Quoted("tests/EndToEnd.Tests/FirstPaint/FirstPaintStylesheetTests.cs with CONTROLPANEL_WRITE_FIRST_PAINT_CSS=1; do not edit, regenerate"));
        json.Append(",\n  \"rules\": [\n    ").AppendJoin(",\n    ", order.Select(k => Quoted(texts[k])));
        json.Append("\n  ],\n  \"pages\": {\n    ").AppendJoin(",\n    ", rulesByPage.Select(p =>
            $"{Quoted(p.Key)}: [{string.Join(",", p.Value.Select(k => index[k]).Order())}]"));
        json.Append("\n  }\n}\n");
        await File.WriteAllTextAsync(Path.Combine(PanelFactory.WebProjectDirectory(), "wwwroot", "css", "first-paint.json"), json.ToString());
        return json.Length;
    }

    private static string Quoted(string text) => JsonSerializer.Serialize(text, RelaxedJson);

    // Rules stay readable in the file ('>' and '+' are not escaped); it is read as JSON, never written into HTML as such.
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"/_framework/blazor\.web\.[^/]*js$|/MudBlazor\.min\.[^/]*js$")]
    private static partial Regex ScriptsRegex();

    [GeneratedRegex(@"/_framework/blazor\.web\.[^/]*js$|/MudBlazor\.min\.[^/]*(js|css)$")]
    private static partial Regex ScriptsAndFullStylesheetRegex();
}
