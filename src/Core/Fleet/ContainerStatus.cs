namespace ControlPanel.Core.Fleet;

/// <summary>
/// What one cheap inspect tells: enough to follow a container's life (the watcher, log streams, a rollout's health
/// wait) without the image lookup <see cref="ContainerDetails"/> needs.
/// </summary>
/// <param name="Running">Running and not restarting.</param>
/// <param name="ExitCode">Its last exit code, when not running.</param>
/// <param name="Detail">Why it is not healthy: the engine's error, or the last health check output.</param>
/// <param name="Tty">Started with a TTY: its log is one raw stream, not stdout/stderr frames.</param>
/// <param name="FinishedAt">When its last run ended, by the engine's clock (null while it has not).</param>
/// <param name="NextHealthCheckAt">When the engine runs the image's HEALTHCHECK next, by the engine's clock (null: it has none).</param>
public sealed record ContainerStatus(
    string Id,
    string Name,
    ContainerState State,
    bool Running,
    int? ExitCode,
    ContainerHealth Health,
    string? Detail,
    DateTimeOffset? StartedAt,
    int RestartCount,
    bool Tty,
    DateTimeOffset? FinishedAt = null,
    DateTimeOffset? NextHealthCheckAt = null);
