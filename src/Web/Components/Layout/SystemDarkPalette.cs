using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace ControlPanel.Web.Components.Layout;

/// <summary>
/// The dark palette for users who let their system choose. The server cannot know the system's choice when it
/// prerenders, so MudThemeProvider writes the light palette; this rule, in the page's head, swaps in the dark one's
/// colours while the system is dark and the page is marked as following it (MainLayout), so the first paint is
/// already dark: no white flash. The colours are MudThemeProvider's own, rendered once with the dark palette.
/// </summary>
public sealed partial class SystemDarkPalette(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    /// <summary>The class MainLayout puts on the layout while the user's theme follows the system.</summary>
    public const string FollowsSystemClass = "theme-follows-system";

    private readonly Lazy<Task<MarkupString>> _css = new(() => BuildAsync(scopes, loggers));

    public Task<MarkupString> CssAsync() => _css.Value;

    private static async Task<MarkupString> BuildAsync(IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        var light = Variables(await RenderAsync(scopes, loggers, dark: false));
        var dark = Variables(await RenderAsync(scopes, loggers, dark: true));
        var changed = dark.Where(v => light.GetValueOrDefault(v.Key) != v.Value).Select(v => $"{v.Key}: {v.Value};");
        if (!changed.Any()) throw new InvalidOperationException("MudThemeProvider wrote the same palette for light and dark: the dark first paint cannot be built.");
        return new MarkupString($"@media (prefers-color-scheme: dark) {{ :root:has(.{FollowsSystemClass}) {{ color-scheme: dark; {string.Join(" ", changed)} }} }}");
    }

    private static async Task<string> RenderAsync(IServiceScopeFactory scopes, ILoggerFactory loggers, bool dark)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = ControlPanelTheme.Value,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
            });
            return (await renderer.RenderComponentAsync<MudThemeProvider>(parameters)).ToHtmlString();
        });
    }

    /// <summary>The palette's custom properties (--mud-palette-*) and their values.</summary>
    private static Dictionary<string, string> Variables(string html) =>
        PaletteVariable().Matches(html).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.First().Groups[2].Value.Trim());

    [GeneratedRegex(@"(--mud-palette-[a-z0-9-]+)\s*:\s*([^;]+);")]
    private static partial Regex PaletteVariable();
}
