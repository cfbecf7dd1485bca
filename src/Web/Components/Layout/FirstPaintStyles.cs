using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Layout;

/// <summary>
/// The styles of every page's first frame (css/first-paint.css and app.css), read once and written into the page's
/// head. Linked, each was a request the first paint waited for after the HTML had arrived: 30–60 ms on a busy machine,
/// even from the browser's cache (fleet bench, issue 14).
/// </summary>
public sealed class FirstPaintStyles(IWebHostEnvironment environment)
{
    private readonly Lazy<MarkupString> _firstPaint = new(() => Read(environment, "css/first-paint.css"));
    private readonly Lazy<MarkupString> _app = new(() => Read(environment, "app.css"));

    /// <summary>MudBlazor's rules the prerendered pages use; before MudBlazor's full stylesheet in the head.</summary>
    public MarkupString FirstPaint => _firstPaint.Value;

    /// <summary>The panel's own rules; after MudBlazor's full stylesheet, which they override.</summary>
    public MarkupString App => _app.Value;

    private static MarkupString Read(IWebHostEnvironment environment, string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists) throw new InvalidOperationException($"wwwroot/{path} is missing from {environment.WebRootPath}: the pages cannot be styled without it.");
        using var reader = new StreamReader(file.CreateReadStream());
        var css = reader.ReadToEnd();
        // Written raw inside <style>: a closing tag in it would end the element early.
        if (css.Contains("</style", StringComparison.OrdinalIgnoreCase)) throw new InvalidOperationException($"wwwroot/{path} contains '</style'.");
        return new MarkupString(css);
    }
}
