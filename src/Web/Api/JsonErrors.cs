using System.Text.RegularExpressions;

namespace ControlPanel.Web.Api;

/// <summary>
/// Rewrites System.Text.Json's binding errors for API clients: they name .NET types ("could not be converted to
/// ControlPanel.Core.Releases.HealthKind"), which mean nothing to a client and say nothing of what is allowed.
/// </summary>
public static partial class JsonErrors
{
    public static string Explain(string field, string message)
    {
        if (UnmappedMember().IsMatch(message))
            return $"'{field}' is not a field the panel knows here; check its spelling (unknown fields are refused, not ignored).";
        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            var type = FindType(converted.Groups["type"].Value);
            if (type is { IsEnum: true }) return $"'{field}' must be one of {string.Join(", ", Enum.GetNames(type))}.";
            return $"'{field}' must be {Describe(type)}.";
        }
        return $"'{field}' is not valid JSON for this field.";
    }

    private static Type? FindType(string name)
    {
        var bare = NullableOf().Match(name) is { Success: true } n ? n.Groups["inner"].Value : name;
        return Type.GetType(bare) ?? typeof(Core.Releases.RuntimeSpec).Assembly.GetType(bare) ?? typeof(JsonErrors).Assembly.GetType(bare);
    }

    private static string Describe(Type? type) => type switch
    {
        null => "a value of another kind",
        _ when type == typeof(string) => "a string",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
        _ when type == typeof(Guid) => "an id (a GUID)",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time (ISO 8601)",
        _ when type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && type != typeof(string)) => "a list (or an object, for a map)",
        _ => "an object",
    };

    [GeneratedRegex("^The JSON property '[^']*' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("could not be converted to (?<type>[^ ]+?)\\.(?: |$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("^System\\.Nullable`1\\[\\[?(?<inner>[^,\\]]+)")]
    private static partial Regex NullableOf();
}
