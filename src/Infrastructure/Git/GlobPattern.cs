namespace ControlPanel.Infrastructure.Git;

/// <summary>
/// One .dockerignore pattern: Go's filepath.Match syntax (* ? [a-z] [^a] \x) plus Docker's ** ("**/" is any number
/// of folders, a bare "**" any text). Matched by following every live position of the pattern at once, one path
/// character at a time, so the cost is path length × pattern length for any pattern: a regular expression engine
/// backtracks on patterns such as **/**/*a*a*a*b and kept a build busy for seconds per file.
/// </summary>
internal sealed class GlobPattern
{
    private enum Kind { Literal, AnyChar, Class, Star, AnyText, AnyFolders }

    /// <param name="Ranges">For a class: pairs of inclusive bounds, lo0 hi0 lo1 hi1 …</param>
    private readonly record struct Step(Kind Kind, char Literal = '\0', string Ranges = "", bool Negated = false);

    private readonly Step[] _steps;

    private GlobPattern(Step[] steps) => _steps = steps;

    /// <summary>Compiles a cleaned pattern; an unclosed '[' is taken literally.</summary>
    public static GlobPattern Compile(string pattern)
    {
        var steps = new List<Step>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/') { i++; steps.Add(new Step(Kind.AnyFolders)); }
                else steps.Add(new Step(Kind.AnyText));
            }
            else if (c == '*') steps.Add(new Step(Kind.Star));
            else if (c == '?') steps.Add(new Step(Kind.AnyChar));
            else if (c == '[' && TryClass(pattern, i, out var step, out var end)) { steps.Add(step); i = end; }
            else if (c == '\\' && i + 1 < pattern.Length) steps.Add(new Step(Kind.Literal, pattern[++i]));
            else steps.Add(new Step(Kind.Literal, c));
        }
        return new GlobPattern([.. steps]);
    }

    /// <summary>True when the pattern matches the whole path or one of its parent folders ("a" for "a/b/c").</summary>
    public bool MatchesSelfOrParent(string path)
    {
        // State 2i: at step i (may skip a *, ** or **/); 2i+1: inside a **/ after a character other than '/'
        // (must reach a '/' before moving on). State 2n: the whole pattern matched.
        var count = 2 * _steps.Length + 1;
        Span<bool> live = count <= 256 ? stackalloc bool[count] : new bool[count];
        Span<bool> next = count <= 256 ? stackalloc bool[count] : new bool[count];
        live[0] = true;
        Close(live);
        foreach (var c in path)
        {
            // A parent folder is the path up to a '/': matching it excludes everything inside.
            if (c == '/' && live[^1]) return true;
            next.Clear();
            var any = false;
            for (var i = 0; i < _steps.Length; i++)
            {
                if (live[2 * i]) any |= Advance(_steps[i], i, c, next);
                if (live[2 * i + 1]) any |= Advance(_steps[i], i, c, next);
            }
            if (!any) return false;
            Close(next);
            next.CopyTo(live);
        }
        return live[^1];
    }

    /// <summary>Marks the states reachable from a live state by reading <paramref name="c"/>; false when there are none.</summary>
    private static bool Advance(Step step, int i, char c, Span<bool> next)
    {
        int target;
        switch (step.Kind)
        {
            case Kind.Literal when c == step.Literal:
            case Kind.AnyChar when c != '/':
            case Kind.Class when c != '/' && InClass(step, c):
                target = 2 * (i + 1);
                break;
            case Kind.Star when c != '/':
            case Kind.AnyText:
                target = 2 * i;
                break;
            case Kind.AnyFolders:
                target = c == '/' ? 2 * i : 2 * i + 1;
                break;
            default:
                return false;
        }
        next[target] = true;
        return true;
    }

    /// <summary>*, ** and **/ may match nothing: a live position before one is also live after it.</summary>
    private void Close(Span<bool> states)
    {
        for (var i = 0; i < _steps.Length; i++)
            if (states[2 * i] && _steps[i].Kind is Kind.Star or Kind.AnyText or Kind.AnyFolders) states[2 * (i + 1)] = true;
    }

    private static bool InClass(Step step, char c)
    {
        var found = false;
        for (var r = 0; r + 1 < step.Ranges.Length && !found; r += 2) found = c >= step.Ranges[r] && c <= step.Ranges[r + 1];
        return found != step.Negated;
    }

    /// <summary>[abc], [a-z], [^0-9] with \ escapes, as Go's filepath.Match reads them.</summary>
    private static bool TryClass(string pattern, int open, out Step step, out int end)
    {
        step = default;
        var i = open + 1;
        var negated = i < pattern.Length && pattern[i] == '^';
        if (negated) i++;
        var ranges = new System.Text.StringBuilder();
        while (i < pattern.Length && (pattern[i] != ']' || ranges.Length == 0))
        {
            if (!TryChar(pattern, ref i, out var lo)) break;
            var hi = lo;
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                i++;
                if (!TryChar(pattern, ref i, out hi)) break;
            }
            ranges.Append(lo).Append(hi);
        }
        end = i;
        if (i >= pattern.Length || pattern[i] != ']') return false;
        step = new Step(Kind.Class, Ranges: ranges.ToString(), Negated: negated);
        return true;
    }

    private static bool TryChar(string pattern, ref int i, out char c)
    {
        if (pattern[i] == '\\') i++;
        c = i < pattern.Length ? pattern[i++] : '\0';
        return i <= pattern.Length && c != '\0';
    }
}
