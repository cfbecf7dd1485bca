using System.Text.RegularExpressions;
using ControlPanel.Core.Common;

namespace ControlPanel.Core.Builds;

/// <summary>Checks for names handed to git, so that no user input can be read as an option or a range.</summary>
public static partial class GitNames
{
    /// <summary>A branch, tag or commit SHA: git's ref-name rules, and never starting with '-'.</summary>
    public static string RequireRevision(string value, string field)
    {
        if (value.Length is 0 or > 200 || value.StartsWith('-') || value.Contains("..", StringComparison.Ordinal)
            || value.EndsWith('/') || value.EndsWith(".lock", StringComparison.Ordinal) || !RevisionCharacters().IsMatch(value))
            throw new InvalidRequestException(field, $"'{field}' must be a branch, tag or commit SHA (letters, digits, / . _ -, not starting with '-'); got '{value}'.");
        return value;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9/._-]*$")]
    private static partial Regex RevisionCharacters();
}
