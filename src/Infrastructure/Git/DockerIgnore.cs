namespace ControlPanel.Infrastructure.Git;

/// <summary>
/// .dockerignore as Docker reads it: one pattern per line, # comments, Go filepath.Match syntax plus **,
/// '!' re-includes, the last matching line wins, and a pattern that matches a folder excludes what is in it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(GlobPattern Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(GlobPattern, bool)> rules) => _rules = rules;

    public static DockerIgnore Parse(string? text)
    {
        var rules = new List<(GlobPattern, bool)>();
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exclude = !line.StartsWith('!');
            if (!exclude) line = line[1..].Trim();
            line = Clean(line);
            if (line.Length == 0) continue;
            rules.Add((GlobPattern.Compile(line), exclude));
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
            if (pattern.MatchesSelfOrParent(path)) excluded = exclude;
        }
        return excluded;
    }

    /// <summary>
    /// Like Go's filepath.Clean on a relative path, as Docker cleans each pattern: no leading '/', no '.' parts, no doubled
    /// separators, "a/../b" is "b". '\' stays: on Linux it escapes the next character.
    /// </summary>
    private static string Clean(string pattern)
    {
        var parts = new List<string>();
        foreach (var part in pattern.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
