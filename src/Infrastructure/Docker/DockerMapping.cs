using System.Globalization;
using ControlPanel.Core.Fleet;
using Docker.DotNet.Models;
using ContainerStatus = ControlPanel.Core.Fleet.ContainerStatus;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>Docker.DotNet models to Core records; no Docker type leaves this folder.</summary>
internal static class DockerMapping
{
    public static ContainerSummary ToSummary(string node, ContainerListResponse c) => new()
    {
        Node = node,
        Id = c.ID,
        Name = c.Names?.FirstOrDefault()?.TrimStart('/') ?? c.ID[..12],
        Image = c.Image ?? "",
        ImageId = c.ImageID ?? "",
        State = ParseState(c.State),
        Status = c.Status ?? "",
        Health = ParseHealth(c.Status),
        Created = new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
        Labels = c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels),
        Ports = c.Ports?.Select(p => p.PublicPort > 0 ? $"{p.IP}:{p.PublicPort}->{p.PrivatePort}/{p.Type}" : $"{p.PrivatePort}/{p.Type}").ToList() ?? [],
    };

    public static ContainerDetails ToDetails(string node, ContainerInspectResponse c, IReadOnlyList<string> repoDigests) => new()
    {
        Node = node,
        Id = c.ID,
        Name = c.Name.TrimStart('/'),
        Image = c.Config?.Image ?? c.Image,
        ImageId = c.Image,
        RepoDigests = repoDigests,
        Command = string.Join(' ', (c.Config?.Entrypoint ?? []).Concat(c.Config?.Cmd ?? [])),
        Environment = MaskedEnvironment(c.Config?.Env, c.Config?.Labels),
        Ports = c.HostConfig?.PortBindings?.Select(p => $"{string.Join(",", p.Value?.Select(b => $"{b.HostIP}:{b.HostPort}") ?? [])}->{p.Key}").ToList() ?? [],
        Mounts = c.Mounts?.Select(m => new MountInfo(m.Type ?? "", m.Source ?? m.Name ?? "", m.Destination, !m.RW)).ToList() ?? [],
        Labels = c.Config?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
        State = ParseState(c.State?.Status),
        Health = InspectedHealth(c),
        HealthLog = c.State?.Health?.Log?.Select(h => new HealthProbe(Utc(h.Start), Utc(h.End), h.ExitCode, h.Output ?? "")).ToList() ?? [],
        StopSignal = string.IsNullOrEmpty(c.Config?.StopSignal) ? "SIGTERM" : c.Config.StopSignal,
        StopTimeoutSeconds = c.Config?.StopTimeout is { } t ? (int)t.TotalSeconds : null,
        Init = c.HostConfig?.Init ?? false,
        MemoryLimitBytes = c.HostConfig?.Memory ?? 0,
        CpuLimit = (c.HostConfig?.NanoCPUs ?? 0) / 1e9,
        StartedAt = ParseTime(c.State?.StartedAt),
        FinishedAt = ParseTime(c.State?.FinishedAt),
        ExitCode = c.State?.ExitCode ?? 0,
        OomKilled = c.State?.OOMKilled ?? false,
        RestartCount = (int)c.RestartCount,
        Error = string.IsNullOrEmpty(c.State?.Error) ? null : c.State.Error,
        NetworkMode = c.HostConfig?.NetworkMode ?? "",
        RestartPolicy = c.HostConfig?.RestartPolicy?.Name.ToString() ?? "no",
        Tty = c.Config?.Tty ?? false,
    };

    public static ContainerStatus ToStatus(ContainerInspectResponse c)
    {
        var health = InspectedHealth(c);
        var lastProbe = c.State?.Health?.Log?.LastOrDefault()?.Output?.Trim();
        var running = c.State?.Running == true && c.State?.Restarting != true;
        var detail = !running ? (string.IsNullOrEmpty(c.State?.Error) ? null : c.State.Error)
            : health is ContainerHealth.Unhealthy or ContainerHealth.Starting && !string.IsNullOrEmpty(lastProbe) ? $"last check: {lastProbe}" : null;
        return new ContainerStatus(c.ID, c.Name.TrimStart('/'), ParseState(c.State?.Status), running, running ? null : (int?)c.State?.ExitCode,
            health, detail, ParseTime(c.State?.StartedAt), (int)c.RestartCount, c.Config?.Tty ?? false, ParseTime(c.State?.FinishedAt), NextHealthCheck(c));
    }

    /// <summary>The engine waits one interval after each check ends (after the start, before the first) before the next one.</summary>
    private static DateTimeOffset? NextHealthCheck(ContainerInspectResponse c)
    {
        if (c.State?.Health is not { } health || c.Config?.Healthcheck is not { } check || ParseTime(c.State.StartedAt) is not { } started) return null;
        var interval = check.Interval > TimeSpan.Zero ? check.Interval : DefaultHealthInterval;
        // Newer engines check every StartInterval during the start period: the shorter one never makes a wait overshoot.
        if (check.StartInterval > TimeSpan.Zero && check.StartInterval < interval) interval = check.StartInterval;
        var lastEnd = health.Log?.LastOrDefault()?.End is { } end ? new DateTimeOffset(end.Kind == DateTimeKind.Local ? end.ToUniversalTime() : DateTime.SpecifyKind(end, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        return (lastEnd > started ? lastEnd.Value : started) + interval;
    }

    private static readonly TimeSpan DefaultHealthInterval = TimeSpan.FromSeconds(30);

    private static ContainerHealth InspectedHealth(ContainerInspectResponse c) => c.State?.Health?.Status switch
    {
        "healthy" => ContainerHealth.Healthy,
        "unhealthy" => ContainerHealth.Unhealthy,
        "starting" => ContainerHealth.Starting,
        _ => ContainerHealth.None,
    };

    public static EngineInfo ToEngineInfo(SystemInfoResponse info, VersionResponse version) => new(
        Version: info.ServerVersion,
        ApiVersion: version.APIVersion,
        OperatingSystem: info.OperatingSystem,
        Architecture: info.Architecture,
        KernelVersion: info.KernelVersion,
        Cpus: (int)info.NCPU,
        MemoryBytes: info.MemTotal,
        ContainersRunning: (int)info.ContainersRunning,
        ContainersPaused: (int)info.ContainersPaused,
        ContainersStopped: (int)info.ContainersStopped,
        Images: (int)info.Images);

    public static ImageSummary ToImage(ImagesListResponse i) => new(
        i.ID, i.RepoTags?.ToList() ?? [], i.RepoDigests?.ToList() ?? [], i.Size,
        new DateTimeOffset(DateTime.SpecifyKind(i.Created, DateTimeKind.Utc)), (int)Math.Max(i.Containers, 0));

    public static ContainerState ParseState(string? state) => state switch
    {
        "created" => ContainerState.Created,
        "running" => ContainerState.Running,
        "paused" => ContainerState.Paused,
        "restarting" => ContainerState.Restarting,
        "removing" => ContainerState.Removing,
        "exited" => ContainerState.Exited,
        "dead" => ContainerState.Dead,
        _ => ContainerState.Unknown,
    };

    /// <summary>API 1.41 lists health only inside the status text, e.g. "Up 2 minutes (healthy)".</summary>
    public static ContainerHealth ParseHealth(string? status) => status switch
    {
        null => ContainerHealth.None,
        _ when status.Contains("(healthy)", StringComparison.Ordinal) => ContainerHealth.Healthy,
        _ when status.Contains("(unhealthy)", StringComparison.Ordinal) => ContainerHealth.Unhealthy,
        _ when status.Contains("(health: starting)", StringComparison.Ordinal) => ContainerHealth.Starting,
        _ => ContainerHealth.None,
    };

    /// <summary>Values masked when their key looks secret, or when the panel stored them as secrets (a label on its replicas says which).</summary>
    private static List<EnvironmentVariable> MaskedEnvironment(IEnumerable<string>? environment, IDictionary<string, string>? labels)
    {
        string? label = null;
        labels?.TryGetValue(Core.Releases.ReplicaLabels.SecretEnvironment, out label);
        var stored = SecretMasking.SecretKeysFromLabel(label);
        return (environment ?? []).Select(pair => SecretMasking.FromKeyValue(pair, stored)).ToList();
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc));

    /// <summary>The engine reports "0001-01-01T00:00:00Z" for never.</summary>
    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;
}
