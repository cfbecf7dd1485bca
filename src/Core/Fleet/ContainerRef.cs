using System.Diagnostics.CodeAnalysis;
using ControlPanel.Core.Common;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// A container on a node, written "node/container" in log URLs (<c>/logs?c=node1/3f2a…</c>) and hub requests.
/// The container part is an id, id prefix or name; node names hold no '/', so the first '/' splits.
/// </summary>
public readonly record struct ContainerRef(string Node, string Container)
{
    public static bool TryParse([NotNullWhen(true)] string? value, out ContainerRef reference)
    {
        var slash = value?.IndexOf('/') ?? -1;
        reference = slash > 0 && slash < value!.Length - 1 ? new ContainerRef(value[..slash], value[(slash + 1)..]) : default;
        return slash > 0 && slash < value!.Length - 1;
    }

    /// <summary>Throws <see cref="InvalidRequestException"/> naming <paramref name="field"/> when the value is not "node/container".</summary>
    public static ContainerRef Parse(string? value, string field) =>
        TryParse(value, out var reference) ? reference : throw new InvalidRequestException(field, $"'{value}' is not node/container.");

    /// <summary>Whether a line or row of <paramref name="node"/> and <paramref name="id"/> (a full id) is of this container.</summary>
    public bool Matches(string node, string id) => node == Node && id.StartsWith(Container, StringComparison.Ordinal);

    public override string ToString() => $"{Node}/{Container}";
}
