namespace ControlPanel.Core.Fleet;

/// <summary>What a person needs from `docker inspect`, with secret-looking values masked.</summary>
public sealed record ContainerDetails
{
    public required string Node { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string ImageId { get; init; }
    public required IReadOnlyList<string> RepoDigests { get; init; }
    public required string Command { get; init; }
    public required IReadOnlyList<EnvironmentVariable> Environment { get; init; }
    public required IReadOnlyList<string> Ports { get; init; }
    public required IReadOnlyList<MountInfo> Mounts { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required ContainerState State { get; init; }
    public required ContainerHealth Health { get; init; }
    public required IReadOnlyList<HealthProbe> HealthLog { get; init; }
    public required string StopSignal { get; init; }
    public int? StopTimeoutSeconds { get; init; }
    /// <summary>Docker's init process runs as PID 1 and passes signals on to the container's command.</summary>
    public bool Init { get; init; }
    public long MemoryLimitBytes { get; init; }
    public double CpuLimit { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long ExitCode { get; init; }
    public bool OomKilled { get; init; }
    public int RestartCount { get; init; }
    public string? Error { get; init; }
    public required string NetworkMode { get; init; }
    public required string RestartPolicy { get; init; }
    /// <summary>Started with a TTY: its log is one raw stream, not stdout/stderr frames.</summary>
    public bool Tty { get; init; }
}

public sealed record EnvironmentVariable(string Name, string Value, bool Masked);

public sealed record MountInfo(string Type, string Source, string Destination, bool ReadOnly);

public sealed record HealthProbe(DateTimeOffset Start, DateTimeOffset End, long ExitCode, string Output);
