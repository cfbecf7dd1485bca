namespace ControlPanel.Core.Releases;

public enum DeploymentStatus
{
    Running,
    Succeeded,
    /// <summary>What was asked for already ran everywhere; nothing was touched.</summary>
    NoOp,
    RolledBack,
    Failed,
    /// <summary>Failure action "pause": stopped where it failed, nothing restored.</summary>
    Paused,
    Cancelled,
    /// <summary>The panel stopped mid-way; reconciled at its next start.</summary>
    Interrupted,
}

/// <summary>What happened to one replica slot on one node, in order; each step is stored before its Docker side effect runs.</summary>
/// <param name="Duration">Set when the step finished; a slow stop is visible here.</param>
/// <param name="Image">The image reference the step pulls or creates a replica of.</param>
/// <param name="ContainerName">The name of the replica a create step makes, stored before the engine has given it an id.</param>
/// <param name="ContainerId">The container the step acts on; for a create step, set once the engine has made it.</param>
/// <param name="Detail">Why the step failed, or what else it says.</param>
public sealed record DeploymentStep(
    long Id, string Node, int? Slot, DeploymentStepAction Action, DateTimeOffset At, TimeSpan? Duration,
    string? Image, string? ContainerName, string? ContainerId, string? Detail, bool Failed = false);

/// <summary>What a deployment does.</summary>
public enum DeploymentKind
{
    /// <summary>Replaces the replicas with those of a release.</summary>
    Release,
    /// <summary>Restarts the replicas of the release that runs, one batch at a time, each drained first (safe restart).</summary>
    Restart,
    /// <summary>Moves the service off a drained node: its current release on the other eligible nodes, then the drained node's replicas retired.</summary>
    Drain,
}

/// <summary>Applying one release to the service's nodes, or restarting its replicas.</summary>
public sealed record Deployment
{
    public DeploymentKind Kind { get; init; } = DeploymentKind.Release;
    public required Guid Id { get; init; }
    public required string Service { get; init; }
    public required int Release { get; init; }
    /// <summary>The release that ran before (rolled back to on failure); null for the first deployment.</summary>
    public int? PreviousRelease { get; init; }
    public required string StartedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DeploymentStatus Status { get; init; } = DeploymentStatus.Running;
    public string? Reason { get; init; }
    /// <summary>What the person deploying wrote.</summary>
    public string? Message { get; init; }
    /// <summary>For a drain: the node whose replicas it retires, so a drain that is resumed still retires them.</summary>
    public string? LeavingNode { get; init; }
    public IReadOnlyList<DeploymentStep> Steps { get; init; } = [];

    public bool IsFinished => Status != DeploymentStatus.Running;
    public TimeSpan? Duration => FinishedAt - StartedAt;
}

/// <summary>A second deployment of a service while one runs; names who holds it and since when.</summary>
public sealed class DeploymentInProgressException(string service, string holder, DateTimeOffset since, Guid deployment)
    : Common.ControlPanelException($"Service '{service}' is already being deployed by {holder} since {since:u} (deployment {deployment}); wait for it or cancel it.")
{
    public string Service { get; } = service;
    public string Holder { get; } = holder;
    /// <summary>The deployment that holds the service, for a client to follow or cancel.</summary>
    public Guid Deployment { get; } = deployment;
}

public sealed class DeploymentNotFoundException(Guid id) : Common.ControlPanelException($"Deployment {id} is not known to the panel.")
{
    public Guid Id { get; } = id;
}
