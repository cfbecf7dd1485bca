using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Layout;

/// <summary>
/// The styles of a page's first frame (MudBlazor's rules that page uses, and app.css), read once and written into the
/// page's head. Linked, each was a request the first paint waited for after the HTML had arrived: 30–60 ms on a busy
/// machine, even from the browser's cache (fleet bench, issue 14). Each page gets only its own rules: every page's
/// together came to 154 KB, three times the containers page's own, and the browser scans and parses all of it before
/// the first frame. css/first-paint.json holds each rule once and, per page, which rules it uses; a page not listed
/// there (one the generator did not visit) gets them all.
/// </summary>
public sealed partial class FirstPaintStyles(IWebHostEnvironment environment)
{
    private const string RulesFile = "css/first-paint.json";

    /// <summary>The generated file: MudBlazor's rules, and per page key the indexes of the ones it uses, in the stylesheet's order.</summary>
    private sealed record FirstPaintRules(string GeneratedBy, List<string> Rules, Dictionary<string, int[]> Pages);

    private readonly Lazy<FirstPaintRules> _rules = new(() => ReadRules(environment));
    private readonly Lazy<MarkupString> _app = new(() => new MarkupString(Checked("app.css", Read(environment, "app.css"))));
    private readonly ConcurrentDictionary<string, MarkupString> _pages = new(StringComparer.Ordinal);

    /// <summary>MudBlazor's rules the page with this key uses (see <see cref="KeyOf"/>); before MudBlazor's full stylesheet in the head.</summary>
    public MarkupString FirstPaintOf(string key) => _pages.GetOrAdd(key, k =>
    {
        var rules = _rules.Value;
        var used = rules.Pages.TryGetValue(k, out var indexes) ? indexes.Select(i => rules.Rules[i]) : rules.Rules;
        return new MarkupString(string.Join('\n', used));
    });

    /// <summary>The panel's own rules; after MudBlazor's full stylesheet, which they override.</summary>
    public MarkupString App => _app.Value;

    /// <summary>
    /// A page's key from its route template: "/nodes/{Node}/containers/{Id}" is "nodes-node-containers-id", "/" is
    /// "home"; a request no page answers is "other". Written into the page too, so the generator knows whose rules it read.
    /// </summary>
    public static string KeyOf(string? routeTemplate)
    {
        if (routeTemplate is null) return "other";
        var key = NotAWord().Replace(Constraint().Replace(routeTemplate, "}").ToLowerInvariant(), "-").Trim('-');
        return key.Length == 0 ? "home" : key;
    }

    private static FirstPaintRules ReadRules(IWebHostEnvironment environment)
    {
        var rules = JsonSerializer.Deserialize<FirstPaintRules>(Read(environment, RulesFile), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"wwwroot/{RulesFile} is empty.");
        foreach (var rule in rules.Rules) Checked(RulesFile, rule);
        foreach (var (page, indexes) in rules.Pages)
        {
            var missing = indexes.Where(i => i < 0 || i >= rules.Rules.Count).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"wwwroot/{RulesFile}: page '{page}' names rules {string.Join(", ", missing)}, but there are {rules.Rules.Count}.");
        }
        return rules;
    }

    private static string Read(IWebHostEnvironment environment, string path) => WebRootText.Read(environment, path, "the pages cannot be styled");

    // Written raw inside <style>: a closing tag in it would end the element early.
    private static string Checked(string path, string css) => css.Contains("</style", StringComparison.OrdinalIgnoreCase)
        ? throw new InvalidOperationException($"wwwroot/{path} contains '</style'.")
        : css;

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NotAWord();
}
