using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Layout;

/// <summary>
/// js/boot.js, read once and written into each page, and its hash for the Content-Security-Policy, which allows no
/// other inline script. Linked, it was one more request the page waited for before its first frame, even from the
/// browser's cache: with it inline the first frame needs nothing but the HTML (fleet bench, issue 14).
/// </summary>
public sealed class BootScript
{
    private const string ScriptFile = "js/boot.js";

    private readonly Lazy<string> _text;
    private readonly Lazy<string> _cspSource;

    public BootScript(IWebHostEnvironment environment)
    {
        _text = new(() => Read(environment));
        _cspSource = new(() => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(_text.Value)))}'");
    }

    /// <summary>The script, to be written as the text of a script element.</summary>
    public MarkupString Text => new(_text.Value);

    /// <summary>The CSP source that allows exactly this script: <c>'sha256-…'</c> of its UTF-8 text.</summary>
    public string CspSource => _cspSource.Value;

    private static string Read(IWebHostEnvironment environment)
    {
        var text = WebRootText.Read(environment, ScriptFile, "no page can start");
        // Written raw inside <script>: a closing tag in it would end the element early.
        return text.Contains("</script", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException($"wwwroot/{ScriptFile} contains '</script'.")
            : text;
    }
}
