using System.Text.RegularExpressions;
using ControlPanel.Core.Common;

namespace ControlPanel.Core.Releases;

/// <summary>
/// What a replica may mount. Named volumes are the engine's own storage and always allowed; a host path only inside
/// a folder an Admin allowed, and never one that holds the host's system or the Docker engine — whoever asks, since
/// a replica with the engine's socket or <c>/</c> controls every node and reads the panel's own database.
/// </summary>
public static partial class VolumeRules
{
    public const string Setting = "ControlPanel:HostMounts:AllowedPaths";

    // The system and the engine: mounting any of these, or a folder holding one (/, /var), hands a replica the host.
    private static readonly string[] SystemPaths =
    [
        "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/run", "/var/run", "/var/lib/docker", "/var/lib/containerd",
        "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
    ];

    /// <summary>
    /// Refuses a volume that is malformed, mounts a system or engine path (<paramref name="engineSockets"/>: the
    /// panel's own unix endpoints), or a host path outside <paramref name="options"/>' allowed folders.
    /// </summary>
    public static void Check(string volume, HostMountOptions options, IEnumerable<string> engineSockets)
    {
        var parts = volume.Split(':');
        if (parts.Length is < 2 or > 3 || (parts.Length == 3 && parts[2] is not ("ro" or "rw")) || !IsCleanAbsolute(parts[1]) || parts[1] == "/")
            Fail($"'{volume}' is not source:container-path[:ro|rw] (the source a volume name or an absolute host path; the container path absolute, not '/').");
        var source = parts[0];
        if (!source.StartsWith('/'))
        {
            if (!VolumeName().IsMatch(source)) Fail($"'{source}' is not a volume name (letters, digits, '_', '.', '-') or an absolute host path.");
            return;
        }
        if (!IsCleanAbsolute(source)) Fail($"host path '{source}' must be absolute without '.', '..' or empty segments.");
        var host = Normalize(source);
        if (IsSystemPath(host) || host.EndsWith(".sock", StringComparison.Ordinal) || engineSockets.Any(s => Overlaps(host, s)))
            Fail($"host path '{host}' holds the host's system or the Docker engine ({string.Join(", ", SystemPaths.Prepend("/"))}, an engine socket): it is never mounted.");
        if (!options.AllowedPaths.Any(allowed => IsInside(host, Normalize(allowed))))
            Fail($"host path '{host}' is not inside a folder an Admin allowed ({Setting}: {(options.AllowedPaths.Count == 0 ? "none" : string.Join(", ", options.AllowedPaths))}). Use a named volume, or ask an Admin.");
    }

    /// <summary>True for a host path a bind mount may never use, whatever is allowed (also for checking the setting itself).</summary>
    public static bool IsSystemPath(string path) => path == "/" || SystemPaths.Any(s => Overlaps(path, s));

    /// <summary>An absolute path without its trailing '/' ("/" stays "/").</summary>
    public static string Normalize(string path) => path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";

    public static bool IsCleanAbsolute(string path) =>
        path.StartsWith('/') && path.TrimEnd('/').Split('/').Skip(1).All(segment => segment.Length > 0 && segment is not ("." or ".."));

    /// <summary>The host paths among a spec's volumes (for showing an Admin who mounts what).</summary>
    public static IEnumerable<string> HostPaths(RuntimeSpec spec) =>
        spec.Volumes.Select(v => v.Split(':')[0]).Where(source => source.StartsWith('/'));

    // Either one inside the other: /var holds /var/lib/docker, and /var/lib/docker/x is inside it.
    private static bool Overlaps(string a, string b) => IsInside(a, b) || IsInside(b, a);

    private static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    private static void Fail(string reason) => throw new InvalidRequestException("runtime.volumes", $"'runtime.volumes' {reason}");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex VolumeName();
}
