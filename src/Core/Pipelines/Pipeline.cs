namespace ControlPanel.Core.Pipelines;

/// <summary>What started a pipeline.</summary>
public enum PipelineTrigger
{
    /// <summary>Build &amp; deploy clicked on the service page.</summary>
    Click,
    /// <summary>A push event from a git host's webhook.</summary>
    Push,
    /// <summary>A call to the JSON API.</summary>
    Api,
}

public enum PipelineStatus
{
    /// <summary>Waiting for the service's running pipeline to end.</summary>
    Queued,
    Running,
    Succeeded,
    /// <summary>A stage failed; <see cref="Pipeline.FailedStage"/> says which and <see cref="Pipeline.Message"/> why.</summary>
    Failed,
    Cancelled,
    /// <summary>A later push for the same service replaced it while it was queued; it never ran.</summary>
    Superseded,
    /// <summary>The panel stopped while it ran.</summary>
    Interrupted,
}

/// <summary>The stages in the order they run: the image is built, released (by digest), then rolled out.</summary>
public enum PipelineStageKind
{
    Build,
    Release,
    Deploy,
}

public enum PipelineStageStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    /// <summary>Not run: an earlier stage failed, the pipeline was cancelled, or it builds only (auto-deploy off).</summary>
    Skipped,
    Cancelled,
}

/// <summary>One stage of a pipeline with its own status and timing.</summary>
public sealed record PipelineStage(PipelineStageKind Kind, PipelineStageStatus Status, DateTimeOffset? StartedAt = null, DateTimeOffset? EndedAt = null,
    string? Message = null)
{
    public TimeSpan? Duration => EndedAt - StartedAt;
}

/// <summary>
/// One trip from a revision to running replicas: a trigger (a click, a push, an API call) tied to the build, the
/// release and the deployment it made, each stage with its status and duration. It stops at the first stage that fails.
/// </summary>
public sealed record Pipeline
{
    public required Guid Id { get; init; }
    public required string Service { get; init; }
    public required PipelineTrigger Trigger { get; init; }
    /// <summary>The user who clicked or called, or for a push the pusher's name from the payload.</summary>
    public required string TriggeredBy { get; init; }
    /// <summary>What was asked for: a branch, a tag or a commit SHA.</summary>
    public required string Revision { get; init; }
    /// <summary>The commit: known from a push payload at once, otherwise once the build has fetched it.</summary>
    public string? Commit { get; init; }
    /// <summary>False: build only (a push while the service's auto-deploy is off); release and deploy are skipped.</summary>
    public bool Deploy { get; init; } = true;
    /// <summary>For a push: the git host (github, gitlab, gitea) and its delivery id.</summary>
    public string? Provider { get; init; }
    public string? DeliveryId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Last sign of life of the panel instance that holds it (queued or running there); see <see cref="Common.LivenessOptions"/>.</summary>
    public DateTimeOffset? HeartbeatAt { get; init; }
    public PipelineStatus Status { get; init; } = PipelineStatus.Queued;
    public PipelineStageKind? FailedStage { get; init; }
    /// <summary>Why it failed, was cancelled or superseded, in words.</summary>
    public string? Message { get; init; }
    public Guid? BuildId { get; init; }
    public int? ReleaseNumber { get; init; }
    public Guid? DeploymentId { get; init; }
    /// <summary>For a superseded pipeline: the one that replaced it.</summary>
    public Guid? SupersededBy { get; init; }
    public IReadOnlyList<PipelineStage> Stages { get; init; } = [];

    public bool IsFinished => Status is not (PipelineStatus.Queued or PipelineStatus.Running);
    /// <summary>The commit as git shows it in one line (7 hex digits).</summary>
    public string? ShortCommit => Commit?[..Math.Min(7, Commit.Length)];
    public TimeSpan? Duration => EndedAt - (StartedAt ?? CreatedAt);
}

/// <summary>
/// A request to build a revision of a service and, when <paramref name="Deploy"/>, release and deploy it.
/// </summary>
/// <param name="Revision">Branch, tag or SHA; null: the service's branch head.</param>
/// <param name="Commit">The SHA a push named (its <c>after</c>), so the build takes exactly that commit.</param>
/// <param name="Node">The node to build on; null: the panel chooses.</param>
public sealed record PipelineRequest(string Service, string? Revision, PipelineTrigger Trigger, bool Deploy = true, string? Commit = null,
    string? Provider = null, string? DeliveryId = null, string? Node = null);
