namespace ControlPanel.Core.Timeline;

/// <summary>The kinds of <see cref="FleetEvent"/>; stored by name, so members may be added but never renamed.</summary>
public enum FleetEventKind
{
    // The engines'
    ContainerDied,
    OomKilled,
    ContainerKilled,
    ContainerRestarted,
    HealthChanged,
    /// <summary>Restarts folded into one entry: N in M minutes.</summary>
    CrashLoop,
    /// <summary>Health changes folded into one entry.</summary>
    HealthFlap,
    /// <summary>A container unhealthy for longer than the alert's threshold.</summary>
    UnhealthyTooLong,
    EngineRestarted,
    NodeUnreachable,
    NodeReachable,

    // The panel's own
    DeploymentStarted,
    DeploymentStep,
    DeploymentSucceeded,
    DeploymentFailed,
    DeploymentRolledBack,
    BuildStarted,
    BuildSucceeded,
    BuildFailed,
    ReleaseCreated,
    SafeRestart,
    ContainerAction,
    /// <summary>A pipeline deployed (or, build only, built) what it was asked to.</summary>
    PipelineSucceeded,
    /// <summary>A pipeline stopped at a failed stage, was cancelled or was interrupted.</summary>
    PipelineFailed,
}
