using System.Text.RegularExpressions;

namespace ControlPanel.Core.Fleet;

/// <summary>What every node must satisfy, whichever source it comes from (configuration, the panel's list, Consul).</summary>
public static partial class NodeRules
{
    /// <summary>Names appear in URLs and routes: 1–64 letters, digits, '.', '-' and '_'.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The files of Docker's DOCKER_CERT_PATH layout that <paramref name="directory"/> lacks (none: usable).</summary>
    public static IReadOnlyList<string> MissingTlsFiles(string directory) =>
        new[] { "ca.pem", "cert.pem", "key.pem" }.Where(f => !File.Exists(Path.Combine(directory, f))).ToList();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
