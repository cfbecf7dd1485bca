using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>
/// A runtime spec as the JSON people edit (secrets masked), and back. A mistake is answered with the field in words and
/// what it expects ("update policy › parallelism (line 4) must be a whole number"), never a .NET type name.
/// </summary>
public static partial class RuntimeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <summary>The spec as indented JSON with secret values masked (sending the mask back keeps a secret).</summary>
    public static string Write(RuntimeSpec spec) => JsonSerializer.Serialize(SecretMasking.MaskSecrets(spec), Options);

    /// <summary>Reads a spec from JSON.</summary>
    /// <exception cref="InvalidRequestException">Not JSON, or not a runtime spec; the message names the field in words.</exception>
    public static RuntimeSpec Read(string? json)
    {
        try
        {
            return JsonSerializer.Deserialize<RuntimeSpec>(string.IsNullOrWhiteSpace(json) ? "{}" : json, Options)
                ?? throw new InvalidRequestException("runtime", "The runtime spec must be a JSON object ({ … }), not null.");
        }
        catch (JsonException ex)
        {
            var (field, type) = Locate(ex.Path);
            var line = ex.LineNumber is { } n ? $" (line {n + 1})" : "";
            var name = RuntimeFieldNames.Describe(field);
            var message = ex.Message;
            if (UnknownMember().Match(message) is { Success: true } unknown)
                throw new InvalidRequestException(field, $"'{unknown.Groups[1].Value}'{line} is not a field of {name}; check its spelling or remove it.");
            if (MissingMembers().Match(message) is { Success: true } missing)
                throw new InvalidRequestException(field, $"{name}{line} needs {missing.Groups[1].Value}.");
            if (message.Contains("could not be converted", StringComparison.Ordinal) && type is not null)
                throw new InvalidRequestException(field, $"{name}{line} must be {Expected(type)}.");
            throw new InvalidRequestException(field, $"The JSON is not valid{line}: {Plain(message)}");
        }
    }

    /// <summary>The validation field ("runtime.update.parallelism") and member type a JSON path ("$.update.parallelism") points at.</summary>
    private static (string Field, Type? Type) Locate(string? path)
    {
        var field = "runtime";
        Type? type = typeof(RuntimeSpec);
        foreach (var segment in (path ?? "$").Split('.', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var name = Index().Replace(segment, "").Trim('[', ']', '\'');
            var property = type?.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) break;
            field += "." + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (Index().IsMatch(segment) && ElementType(type) is { } element) type = element;
        }
        return (field, type);
    }

    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) => "a number (0.5 is half)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(string) => "text in quotes",
        { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) => "an object of names and texts ({ \"name\": \"value\" })",
        _ when typeof(IEnumerable).IsAssignableFrom(type) => "a list ([ … ])",
        _ => "an object ({ … })",
    };

    // System.Text.Json's own message ends with where it happened in .NET terms; the line is given separately.
    private static string Plain(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Index();

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex("missing required properties,? including:? (.+?)\\.?( Path:|$)")]
    private static partial Regex MissingMembers();
}
