using System.Text.RegularExpressions;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;

namespace ControlPanel.Core.Services;

/// <summary>Checks a service definition before anything is stored; each error names the field.</summary>
public static partial class ServiceValidation
{
    public static string RequireName(string? name) =>
        IsName(name) ? name!
        : throw new InvalidRequestException("name", $"'name' must be 1–63 lowercase letters, digits and '-', starting with a letter or digit; got '{name}'.");

    /// <summary>Returns the settings with whitespace trimmed and paths normalised; no repository URL makes an image-only service.</summary>
    /// <param name="allowLocalRepositories">Whether a path or file:// on the panel's host is accepted (<see cref="BuildOptions"/>).</param>
    public static BuildSettings Validate(BuildSettings settings, bool allowLocalRepositories)
    {
        var url = settings.RepositoryUrl?.Trim() ?? "";
        if (url.Length == 0) return ValidateImage(settings with { RepositoryUrl = null });
        if (url.StartsWith('-')) throw new InvalidRequestException("repositoryUrl", $"'repositoryUrl' cannot start with '-'; got '{url}'.");
        if (RepositoryUrls.Refusal(url, allowLocalRepositories) is { } refusal) throw new InvalidRequestException("repositoryUrl", $"'repositoryUrl': {refusal}");
        // A user name alone is how ssh:// URLs say who to log in as (git@…) and how Azure DevOps names the organisation
        // (https://org@dev.azure.com/…); a password, or a user name that is a hosting service's access token, is a secret.
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.UserInfo.Contains(':') || LooksLikeToken(Uri.UnescapeDataString(uri.UserInfo))))
            throw new InvalidRequestException("repositoryUrl", "'repositoryUrl' must not carry a password or token: the panel would have to show and log it. Use a deploy key (ssh) or a credential helper on the panel's host.");
        return ValidateImage(settings with { RepositoryUrl = url });
    }

    /// <summary>The part every service has, built here or not: the branch, the build paths and arguments, and where the image lives.</summary>
    private static BuildSettings ValidateImage(BuildSettings settings)
    {
        var branch = GitNames.RequireRevision(settings.Branch?.Trim() ?? "", "branch");
        var dockerfile = RelativePath(settings.DockerfilePath, "dockerfilePath", allowRoot: false);
        var context = RelativePath(settings.ContextPath, "contextPath", allowRoot: true);
        if (settings.BuildArgs.Count > 100) throw new InvalidRequestException("buildArgs", $"'buildArgs' has {settings.BuildArgs.Count} entries; at most 100.");
        if (settings.BuildArgs.Values.Any(v => v is null || v.Length > 32 * 1024)) throw new InvalidRequestException("buildArgs", "'buildArgs' values must be present and at most 32 KiB each.");
        foreach (var key in settings.BuildArgs.Keys)
            if (!BuildArgName().IsMatch(key)) throw new InvalidRequestException("buildArgs", $"Build argument names are letters, digits and '_', not starting with a digit; got '{key}'.");
        var registry = settings.Registry?.Trim() ?? "";
        if (registry.Length == 0) throw new InvalidRequestException("registry", "'registry' is required: the name of a registry configured in the panel.");
        var repository = settings.ImageRepository?.Trim() ?? "";
        if (!Registries.ImageNames.IsRepository(repository))
            throw new InvalidRequestException("imageRepository", $"'imageRepository' must be a Docker repository path such as shop/api (lowercase letters, digits, '.', '_', '-', '/'); got '{repository}'.");
        return settings with { Branch = branch, DockerfilePath = dockerfile, ContextPath = context, Registry = registry, ImageRepository = repository };
    }

    private static readonly string[] TokenPrefixes = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-"];

    /// <summary>GitHub and GitLab tokens by their documented prefixes; anything as long as a token (32+) too.</summary>
    private static bool LooksLikeToken(string user) =>
        user.Length >= 32 || TokenPrefixes.Any(p => user.StartsWith(p, StringComparison.Ordinal));

    /// <summary>A path inside the repository: relative, '/'-separated, no '..'; "." is the root.</summary>
    private static string RelativePath(string? value, string field, bool allowRoot)
    {
        var path = (value ?? "").Trim().Replace('\\', '/').TrimEnd('/');
        while (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
        if (path.Length == 0) path = ".";
        var parts = path.Split('/');
        if (path.StartsWith('/') || parts.Any(p => p is ".." || p.Length == 0) || (path == "." && !allowRoot) || path.StartsWith('-'))
            throw new InvalidRequestException(field, $"'{field}' must be a path inside the repository, such as docker/Dockerfile (relative, no '..'); got '{value}'.");
        return path;
    }

    /// <summary>Whether <paramref name="name"/> can name a service: 1–63 lowercase letters, digits and '-', starting with a letter or digit.</summary>
    public static bool IsName(string? name) => name is not null && ServiceName().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ServiceName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex BuildArgName();
}
