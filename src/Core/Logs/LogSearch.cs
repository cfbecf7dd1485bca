using System.Text.RegularExpressions;
using ControlPanel.Core.Common;

namespace ControlPanel.Core.Logs;

/// <summary>
/// A person's search over log lines: plain text or a regular expression, with or without case, and a time limit
/// per line. The one place a search pattern is built from what someone typed (the log page, the logs API).
/// </summary>
public sealed class LogSearch
{
    /// <summary>Per line: a pattern that needs longer on one line is backtracking, not searching.</summary>
    public static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromMilliseconds(50);

    private LogSearch(string text, Regex pattern) => (Text, Pattern) = (text, pattern);

    /// <summary>What the person typed.</summary>
    public string Text { get; }

    public Regex Pattern { get; }

    /// <summary>
    /// The search for <paramref name="text"/>; null when there is nothing to search for. A regular expression that
    /// does not compile is refused naming <paramref name="field"/> and the pattern.
    /// </summary>
    public static LogSearch? Create(string? text, bool regex, bool caseSensitive, TimeSpan? matchTimeout = null, string field = "search")
    {
        if (string.IsNullOrEmpty(text)) return null;
        var options = RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
        try
        {
            return new LogSearch(text, new Regex(regex ? text : Regex.Escape(text), options, matchTimeout ?? DefaultMatchTimeout));
        }
        catch (RegexParseException ex)
        {
            throw new InvalidRequestException(field, $"'{field}' is not a valid regular expression: '{text}': {Reason(ex)} at offset {ex.Offset}.");
        }
    }

    /// <summary>
    /// Whether <paramref name="line"/> matches. A pattern that runs past its limit on a line (catastrophic
    /// backtracking) is refused by name rather than hiding the line or failing with an error that names nothing.
    /// </summary>
    public bool Matches(string line)
    {
        try
        {
            return Pattern.IsMatch(line);
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw new InvalidRequestException("search", $"'search' took longer than {ex.MatchTimeout.TotalMilliseconds:0} ms on one line; simplify the pattern.");
        }
    }

    /// <summary>The text cut into runs that match and runs that do not; the whole text unmarked when the pattern is too slow on it.</summary>
    public IReadOnlyList<(string Text, bool Match)> Highlight(string text)
    {
        var parts = new List<(string Text, bool Match)>();
        var at = 0;
        try
        {
            foreach (Match m in Pattern.Matches(text))
            {
                if (m.Length == 0) continue;
                if (m.Index > at) parts.Add((text[at..m.Index], false));
                parts.Add((m.Value, true));
                at = m.Index + m.Length;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return [(text, false)]; // the line itself still shows
        }
        if (at < text.Length) parts.Add((text[at..], false));
        return parts;
    }

    /// <summary>.NET's message names the pattern and offset already ("Invalid pattern 'x' at offset 3. Reason."): keep the reason.</summary>
    private static string Reason(RegexParseException ex)
    {
        var message = ex.Message;
        var offset = message.IndexOf(" at offset ", StringComparison.Ordinal);
        var sentence = offset < 0 ? -1 : message.IndexOf(". ", offset, StringComparison.Ordinal);
        return (sentence < 0 ? message : message[(sentence + 2)..]).TrimEnd('.');
    }
}
