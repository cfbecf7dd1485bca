using System.Text.RegularExpressions;
using ControlPanel.Core.Common;

namespace ControlPanel.Core.Releases;

/// <summary>
/// A runtime spec's fields in the words the service page uses ("update policy › parallelism"), for the review diff
/// and for validation messages: the same names on the form, in the diff and in an error, never a JSON path or a .NET type.
/// </summary>
public static partial class RuntimeFieldNames
{
    public const string Separator = " › ";

    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["update"] = "update policy",
        ["health"] = "health check",
        ["httpProbe"] = "HTTP probe",
        ["tcpProbe"] = "TCP probe",
        ["fastCgiProbe"] = "FastCGI probe",
        ["memoryMb"] = "memory limit",
        ["cpus"] = "CPU limit",
        ["init"] = "init process",
        ["router"] = "is a router",
        ["route"] = "route",
        ["discovery"] = "discovery",
        ["failureAction"] = "on failure",
        ["rangeStart"] = "range start",
        ["rangeEnd"] = "range end",
    };

    // Members whose name means something else inside their parent: the spec's router flag, but a route's router service.
    private static readonly Dictionary<(string Parent, string Member), string> WordsWithin = new()
    {
        [("route", "router")] = "router service",
    };

    /// <summary>
    /// One member's name in words: stopTimeoutSeconds → stop timeout (its unit goes with the value). <paramref name="parent"/>
    /// is the member it belongs to (route for route.router), null at the spec's top.
    /// </summary>
    public static string Member(string name, string? parent = null)
    {
        if (parent is not null && WordsWithin.TryGetValue((parent.ToLowerInvariant(), name.ToLowerInvariant()), out var within)) return within;
        if (Words.TryGetValue(name, out var word)) return word;
        var words = CamelBoundary().Replace(name, " ").ToLowerInvariant();
        return words.EndsWith(" seconds", StringComparison.Ordinal) ? words[..^" seconds".Length] : words;
    }

    /// <summary>A validation field ("runtime.update.parallelism") in words ("update policy › parallelism").</summary>
    public static string Describe(string field)
    {
        var names = field.Split('.', StringSplitOptions.RemoveEmptyEntries).SkipWhile(p => p == "runtime").ToList();
        var parts = names.Select((name, i) => Member(name, i == 0 ? null : names[i - 1])).ToList();
        return parts.Count == 0 ? "runtime spec" : string.Join(Separator, parts);
    }

    /// <summary>
    /// A validation error's message with its field in words: "'runtime.update.parallelism' must be at least 1" becomes
    /// "update policy › parallelism must be at least 1".
    /// </summary>
    public static string Explain(InvalidRequestException error) =>
        error.Message.Replace($"'{error.Field}'", Describe(error.Field), StringComparison.Ordinal);

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex CamelBoundary();
}
