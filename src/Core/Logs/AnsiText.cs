using System.Text;

namespace ControlPanel.Core.Logs;

/// <summary>A run of log text with the CSS classes its ANSI colour codes asked for (null: none).</summary>
public sealed record TextSpan(string Text, string? Classes);

/// <summary>
/// Turns ANSI-coloured text into spans. Only SGR colour and style codes become classes, and only from
/// a fixed set (fg-0…15, bg-0…15, b, i, u, dim); every other escape — OSC (hyperlinks, titles), cursor
/// movement, erase — and other control characters are dropped. The text itself is never markup: pages
/// render it as text.
/// </summary>
public static class AnsiText
{
    private const char Esc = '\u001b';

    public static IReadOnlyList<TextSpan> Parse(string line)
    {
        var spans = new List<TextSpan>();
        var text = new StringBuilder();
        var style = new Style();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == Esc)
            {
                Flush();
                i = Skip(line, i, ref style);
                continue;
            }
            if (char.IsControl(c) && c != '\t') { i++; continue; }
            text.Append(c);
            i++;
        }
        Flush();
        return spans;

        void Flush()
        {
            if (text.Length == 0) return;
            spans.Add(new TextSpan(text.ToString(), style.Classes()));
            text.Clear();
        }
    }

    /// <summary>
    /// The text with every escape sequence and control character (but tab) removed: what a downloaded log holds, so
    /// it reads as plain text in any editor.
    /// </summary>
    public static string Strip(string line)
    {
        if (!line.Any(c => char.IsControl(c) && c != '\t')) return line; // the common case: nothing to remove
        var plain = new StringBuilder(line.Length);
        foreach (var span in Parse(line)) plain.Append(span.Text);
        return plain.ToString();
    }

    /// <summary>Consumes one escape sequence starting at <paramref name="i"/>; applies it when it is SGR.</summary>
    private static int Skip(string s, int i, ref Style style)
    {
        if (i + 1 >= s.Length) return s.Length;
        var kind = s[i + 1];
        if (kind == '[')
        {
            var j = i + 2;
            while (j < s.Length && s[j] is >= (char)0x20 and <= (char)0x3F) j++; // parameters and intermediates
            if (j >= s.Length) return s.Length;
            if (s[j] == 'm') style = style.Apply(s[(i + 2)..j]);
            return j + 1; // any other CSI (cursor, erase…) is dropped
        }
        if (kind == ']')
        {
            // OSC runs to BEL or ESC \: hyperlink targets (OSC 8) and titles vanish; the link text between them stays text.
            var j = i + 2;
            while (j < s.Length && s[j] != '\u0007' && !(s[j] == Esc && j + 1 < s.Length && s[j + 1] == '\\')) j++;
            return j >= s.Length ? s.Length : s[j] == '\u0007' ? j + 1 : j + 2;
        }
        return i + 2; // two-character escapes (ESC c, ESC 7…)
    }

    private readonly record struct Style(int? Fg, int? Bg, bool Bold, bool Dim, bool Italic, bool Underline)
    {
        public Style Apply(string parameters)
        {
            var codes = parameters.Length == 0 ? [0] : parameters.Split(';').Select(p => int.TryParse(p, out var n) ? n : -1).ToArray();
            var s = this;
            for (var k = 0; k < codes.Length; k++)
            {
                var code = codes[k];
                switch (code)
                {
                    case 0: s = default; break;
                    case 1: s = s with { Bold = true }; break;
                    case 2: s = s with { Dim = true }; break;
                    case 3: s = s with { Italic = true }; break;
                    case 4: s = s with { Underline = true }; break;
                    case 22: s = s with { Bold = false, Dim = false }; break;
                    case 23: s = s with { Italic = false }; break;
                    case 24: s = s with { Underline = false }; break;
                    case >= 30 and <= 37: s = s with { Fg = code - 30 }; break;
                    case >= 90 and <= 97: s = s with { Fg = code - 90 + 8 }; break;
                    case 39: s = s with { Fg = null }; break;
                    case >= 40 and <= 47: s = s with { Bg = code - 40 }; break;
                    case >= 100 and <= 107: s = s with { Bg = code - 100 + 8 }; break;
                    case 49: s = s with { Bg = null }; break;
                    case 38 or 48:
                        // 256 colours (5;n): the first 16 map to the palette; truecolour (2;r;g;b) is skipped.
                        if (k + 2 < codes.Length && codes[k + 1] == 5)
                        {
                            if (codes[k + 2] is >= 0 and < 16) s = code == 38 ? s with { Fg = codes[k + 2] } : s with { Bg = codes[k + 2] };
                            k += 2;
                        }
                        else if (k + 1 < codes.Length && codes[k + 1] == 2)
                        {
                            k += 4;
                        }
                        break;
                }
            }
            return s;
        }

        public string? Classes()
        {
            var parts = new List<string>(4);
            if (Fg is { } fg) parts.Add($"fg-{fg}");
            if (Bg is { } bg) parts.Add($"bg-{bg}");
            if (Bold) parts.Add("b");
            if (Dim) parts.Add("dim");
            if (Italic) parts.Add("i");
            if (Underline) parts.Add("u");
            return parts.Count == 0 ? null : string.Join(' ', parts);
        }
    }
}
