using System.Text;
using System.Text.RegularExpressions;

namespace ControlPanel.Infrastructure.Git;

/// <summary>
/// .dockerignore as Docker reads it: one pattern per line, # comments, Go filepath.Match syntax plus **,
/// '!' re-includes, the last matching line wins, and a pattern that matches a folder excludes what is in it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore Parse(string? text)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exclude = !line.StartsWith('!');
            if (!exclude) line = line[1..].Trim();
            line = Clean(line);
            if (line.Length == 0) continue;
            rules.Add((new Regex(ToRegex(line), RegexOptions.CultureInvariant), exclude));
        }
        return new DockerIgnore(rules);
    }

    /// <summary>True when the path (relative to the context, '/'-separated) is left out of the context.</summary>
    public bool Excludes(string path)
    {
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            // A rule matching any parent folder applies to everything inside it.
            if (MatchesSelfOrParent(pattern, path)) excluded = exclude;
        }
        return excluded;
    }

    private static bool MatchesSelfOrParent(Regex pattern, string path)
    {
        if (pattern.IsMatch(path)) return true;
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
            if (pattern.IsMatch(path[..slash])) return true;
        return false;
    }

    /// <summary>Like Go's filepath.Clean on a relative path: no leading '/', no '.' parts, no doubled separators.</summary>
    private static string Clean(string pattern)
    {
        var parts = pattern.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        return string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**" matches any number of folders, including none ("**/" may match nothing).
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/') { i++; regex.Append("(?:.*/)?"); }
                else regex.Append(".*");
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else if (c == '[')
            {
                var end = pattern.IndexOf(']', i + 1);
                if (end < 0) { regex.Append(@"\["); continue; }
                var set = pattern[(i + 1)..end];
                regex.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set).Replace(@"\-", "-")).Append(']');
                i = end;
            }
            else if (c == '\\' && i + 1 < pattern.Length) regex.Append(Regex.Escape(pattern[++i].ToString()));
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.Append('$').ToString();
    }
}
