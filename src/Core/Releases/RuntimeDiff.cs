using System.Collections;
using System.Globalization;
using System.Reflection;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>
/// The differences between two runtime specs, one per changed field in words ("update policy › parallelism: 1 → 2"),
/// secrets masked. It walks the spec's members, so a field added to the spec later shows up here without a change.
/// </summary>
public static class RuntimeDiff
{
    /// <summary>Shown for a secret whose stored value differs; the values themselves are never shown.</summary>
    public const string Changed = " (changed)";

    /// <summary>
    /// What changes from <paramref name="from"/> to <paramref name="to"/>; with no <paramref name="from"/> (nothing
    /// runs yet) the fields <paramref name="to"/> sets away from the defaults, with nothing before them.
    /// </summary>
    public static IReadOnlyList<ReleaseChange> Between(RuntimeSpec? from, RuntimeSpec to)
    {
        var changes = new List<ReleaseChange>();
        Walk("", typeof(RuntimeSpec), from ?? new RuntimeSpec(), to, changes);
        return from is null ? changes.Select(c => c with { Before = null }).ToList() : changes;
    }

    private static void Walk(string prefix, Type type, object? before, object? after, List<ReleaseChange> changes)
    {
        foreach (var member in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            var field = prefix + RuntimeFieldNames.Member(member.Name, type == typeof(RuntimeSpec) ? null : OwnerName(type));
            var (x, y) = (before is null ? null : member.GetValue(before), after is null ? null : member.GetValue(after));
            Compare(field, member, x, y, changes);
        }
    }

    /// <summary>The spec's member a nested type hangs from, by its type's name: RouteSpec → route.</summary>
    private static string OwnerName(Type type) => type.Name.EndsWith("Spec", StringComparison.Ordinal) ? type.Name[..^"Spec".Length] : type.Name;

    private static void Compare(string field, PropertyInfo member, object? x, object? y, List<ReleaseChange> changes)
    {
        var type = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
        if (type == typeof(IReadOnlyList<EnvironmentValue>))
            Keyed(field, (IReadOnlyList<EnvironmentValue>?)x, (IReadOnlyList<EnvironmentValue>?)y, e => e.Name, (a, b) => Environment(a, b), changes);
        else if (type == typeof(IReadOnlyList<PortSpec>))
            Keyed(field, (IReadOnlyList<PortSpec>?)x, (IReadOnlyList<PortSpec>?)y, p => p.Name, (a, b) => (Port(a), Port(b)), changes);
        else if (type == typeof(IReadOnlyDictionary<string, string>))
            Keyed(field, Pairs(x), Pairs(y), p => p.Key, (a, b) => (a?.Value, b?.Value), changes);
        else if (IsRecord(type) && (x is not null || y is not null))
            Walk(field + RuntimeFieldNames.Separator, type, x, y, changes);
        else
            Add(field, Value(member, x), Value(member, y), changes);
    }

    private static void Keyed<T>(string field, IEnumerable<T>? before, IEnumerable<T>? after, Func<T, string> key, Func<T?, T?, (string?, string?)> show, List<ReleaseChange> changes)
        where T : class
    {
        var a = (before ?? []).ToDictionary(key);
        var b = (after ?? []).ToDictionary(key);
        foreach (var name in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var (x, y) = show(a.GetValueOrDefault(name), b.GetValueOrDefault(name));
            Add(field + RuntimeFieldNames.Separator + name, x, y, changes);
        }
    }

    private static void Add(string field, string? before, string? after, List<ReleaseChange> changes)
    {
        if (before != after) changes.Add(new ReleaseChange(field, before, after));
    }

    // A secret is compared by its stored (encrypted) value, which is kept as long as the secret is not changed.
    private static (string?, string?) Environment(EnvironmentValue? a, EnvironmentValue? b)
    {
        if (a is null || b is null || a.Secret != b.Secret) return (Shown(a), Shown(b));
        if (a.Value == b.Value) return (null, null);
        return a.Secret ? (SecretMasking.Mask, SecretMasking.Mask + Changed) : (a.Value, b.Value);
    }

    private static string? Shown(EnvironmentValue? e) => e is null ? null : e.Secret ? SecretMasking.Mask : e.Value;

    private static string? Port(PortSpec? p) => p switch
    {
        null => null,
        { Fixed: { } port } => $"fixed {port}",
        _ => $"range {p.RangeStart}–{p.RangeEnd}",
    };

    private sealed record Pair(string Key, string Value);

    private static IEnumerable<Pair>? Pairs(object? value) => (value as IReadOnlyDictionary<string, string>)?.Select(p => new Pair(p.Key, p.Value));

    private static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && type.Namespace?.StartsWith("ControlPanel.Core", StringComparison.Ordinal) == true;

    private static string? Value(PropertyInfo member, object? value) => value switch
    {
        null => member.Name switch
        {
            nameof(RuntimeSpec.MemoryMb) or nameof(RuntimeSpec.Cpus) => "unlimited",
            nameof(RuntimeSpec.Command) => "the image's",
            nameof(UpdatePolicy.Order) => "automatic",
            nameof(UpdatePolicy.MaxUnavailable) => "the parallelism",
            _ => null,
        },
        bool b => b ? "yes" : "no",
        IEnumerable<string> list when member.Name == nameof(RuntimeSpec.Nodes) && !list.Any() => "any",
        IEnumerable<string> list => member.Name == nameof(RuntimeSpec.Command) ? string.Join(' ', list) : list.Any() ? string.Join(", ", list) : "none",
        IFormattable number when member.Name.EndsWith("Seconds", StringComparison.Ordinal) => number.ToString(null, CultureInfo.InvariantCulture) + " s",
        IFormattable number when member.Name.EndsWith("Mb", StringComparison.Ordinal) => number.ToString(null, CultureInfo.InvariantCulture) + " MB",
        IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
