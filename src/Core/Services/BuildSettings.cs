using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Core.Services;

/// <summary>How a service's image is made: where its source is, how it is built, and where the image goes.</summary>
public sealed record BuildSettings
{
    /// <summary>
    /// https://, ssh:// or user@host:path; a path on the panel's host only when an Admin allows it (<see cref="Builds.BuildOptions"/>).
    /// Null for a service whose images are built elsewhere and pushed to its registry: it is released from tags, never built here.
    /// </summary>
    public string? RepositoryUrl { get; init; }

    /// <summary>Whether the panel can build the service's image (it knows the repository).</summary>
    public bool BuildsFromSource => RepositoryUrl is not null;
    public string Branch { get; init; } = "main";
    /// <summary>Path of the Dockerfile inside the repository.</summary>
    public string DockerfilePath { get; init; } = "Dockerfile";
    /// <summary>Folder inside the repository sent to the engine as the build context.</summary>
    public string ContextPath { get; init; } = ".";
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    /// <summary>
    /// Build arguments whose values are stored encrypted and shown masked (those whose names look secret, such as
    /// NPM_TOKEN, always are). The engine still records build arguments in the image's history: prefer a secret mount.
    /// </summary>
    public IReadOnlyList<string> SecretBuildArgs { get; init; } = [];
    /// <summary>Name of a registry configured in the panel.</summary>
    public required string Registry { get; init; }
    /// <summary>Repository inside the registry, e.g. shop/api.</summary>
    public required string ImageRepository { get; init; }

    /// <summary>
    /// A digest of everything that affects the image. Two builds of one commit with the same fingerprint make
    /// the same image, so the second can reuse the first.
    /// </summary>
    public string Fingerprint()
    {
        var text = new StringBuilder()
            .Append(RepositoryUrl ?? "").Append('\n').Append(DockerfilePath).Append('\n').Append(ContextPath).Append('\n')
            .Append(Registry).Append('\n').Append(ImageRepository).Append('\n');
        foreach (var (key, value) in BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal)) text.Append(key).Append('=').Append(value).Append('\n');
        // Only when there are any, so fingerprints of builds made before secret build arguments stay the same.
        if (SecretBuildArgs.Count > 0) text.Append("secret:").Append(string.Join(',', SecretBuildArgs.Order(StringComparer.Ordinal))).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Same settings, including the branch (which does not change the image but is part of the definition).</summary>
    public bool SameAs(BuildSettings other) => Fingerprint() == other.Fingerprint() && Branch == other.Branch;
}
