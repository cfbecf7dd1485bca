using System.Text.RegularExpressions;

namespace ControlPanel.Core.Builds;

/// <summary>
/// Which git transport a repository URL selects, decided as git itself does (transport.c, connect.c), so that what is
/// checked here is what git would run.
/// </summary>
public static partial class RepositoryUrls
{
    /// <summary>Transports fetched over the network, in git's protocol names (GIT_ALLOW_PROTOCOL).</summary>
    public static readonly IReadOnlyList<string> NetworkProtocols = ["https", "http", "ssh", "git"];

    /// <summary>null when git may fetch the URL; otherwise why not, in the user's words.</summary>
    /// <param name="allowLocal">Whether an Admin allowed repositories on the panel's host (a path or file://).</param>
    public static string? Refusal(string url, bool allowLocal)
    {
        // "transport::address" runs git-remote-<transport>: ext:: runs any command, fd:: reads the panel's own descriptors.
        if (RemoteHelper().Match(url) is { Success: true } helper)
            return $"the '{helper.Groups[1].Value}::' transport is refused: it runs a program on the panel's host. Use https://, ssh:// or user@host:path.";
        if (Scheme().Match(url) is { Success: true } scheme)
        {
            var name = scheme.Groups[1].Value.ToLowerInvariant();
            if (name == "file") return allowLocal ? null : LocalRefusal;
            // Any other scheme also runs a remote helper (git-remote-<scheme>).
            return name is "https" or "http" or "ssh" or "git" or "git+ssh" or "ssh+git" ? null
                : $"the '{name}://' transport is refused. Use https://, ssh:// or user@host:path.";
        }
        // git reads user@host:path as ssh when a ':' comes before any '/'; anything else is a path on this host.
        var colon = url.IndexOf(':');
        var slash = url.IndexOf('/');
        var local = colon < 0 || (slash >= 0 && slash < colon);
        return local && !allowLocal ? LocalRefusal : null;
    }

    /// <summary>The value for GIT_ALLOW_PROTOCOL: git refuses any other transport, redirects and submodules included.</summary>
    public static string AllowedProtocols(bool allowLocal) => string.Join(':', allowLocal ? [.. NetworkProtocols, "file"] : NetworkProtocols);

    private const string LocalRefusal =
        "repositories on the panel's own host (a path or file://) are refused unless an Admin sets ControlPanel:Builds:AllowLocalRepositories. Use https://, ssh:// or user@host:path.";

    [GeneratedRegex("^([A-Za-z0-9][A-Za-z0-9+.-]*)::")]
    private static partial Regex RemoteHelper();

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex Scheme();
}
