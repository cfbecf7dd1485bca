using System.Text.RegularExpressions;

namespace ControlPanel.Core.Registries;

/// <summary>
/// The distribution spec's grammar for repository names, tags and digests. Anything else never reaches a registry URL:
/// "../" or an escaped '?' in a name would address other paths of the registry's host, with the panel's credentials.
/// </summary>
public static partial class ImageNames
{
    /// <summary>shop/api: lowercase path components joined by '.', '_', '__' or dashes; 255 characters at most.</summary>
    public static bool IsRepository(string? name) => name is { Length: > 0 and <= 255 } && Repository().IsMatch(name);

    public static bool IsTag(string? tag) => tag is not null && Tag().IsMatch(tag);

    /// <summary>algorithm:hex, such as sha256:… (what a manifest names its config and layers by).</summary>
    public static bool IsDigest(string? digest) => digest is { Length: <= 1024 } && Digest().IsMatch(digest);

    /// <summary>What a manifest can be fetched by: a tag or a digest.</summary>
    public static bool IsReference(string? reference) => IsTag(reference) || IsDigest(reference);

    /// <summary>An image reference for a person to read: a digest cut to 12 hex digits, as docker shows ids (repo@sha256:d35a23e0b888).</summary>
    public static string ForDisplay(string reference) =>
        reference.IndexOf("@sha256:", StringComparison.Ordinal) is var at && at >= 0 && reference.Length > at + 8 + 12 ? reference[..(at + 8 + 12)] : reference;

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex Repository();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]+$")]
    private static partial Regex Digest();
}
