using System.Text.RegularExpressions;
using ControlPanel.Core.Common;

namespace ControlPanel.Core.Logs;

/// <summary>Matching log lines against a person's search, whose patterns carry a time limit per line.</summary>
public static class LogSearch
{
    /// <summary>
    /// Whether <paramref name="line"/> matches. A pattern that runs past its limit on a line (catastrophic
    /// backtracking) is refused by name rather than hiding the line or failing with an error that names nothing.
    /// </summary>
    public static bool Matches(Regex pattern, string line)
    {
        try
        {
            return pattern.IsMatch(line);
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw new InvalidRequestException("search", $"'search' took longer than {ex.MatchTimeout.TotalMilliseconds:0} ms on one line; simplify the pattern.");
        }
    }
}
