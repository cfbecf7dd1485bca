namespace ControlPanel.Core.Pipelines;

/// <summary>How a pipeline's record changes as it runs: each method returns the record as it must be stored next.</summary>
public static class PipelineProgress
{
    public static IReadOnlyList<PipelineStage> NewStages() =>
        [new(PipelineStageKind.Build, PipelineStageStatus.Pending), new(PipelineStageKind.Release, PipelineStageStatus.Pending), new(PipelineStageKind.Deploy, PipelineStageStatus.Pending)];

    public static PipelineStage Stage(this Pipeline pipeline, PipelineStageKind kind) => pipeline.Stages.First(s => s.Kind == kind);

    public static Pipeline StartStage(this Pipeline pipeline, PipelineStageKind kind, DateTimeOffset now) =>
        pipeline.WithStage(kind, s => s with { Status = PipelineStageStatus.Running, StartedAt = now });

    public static Pipeline SucceedStage(this Pipeline pipeline, PipelineStageKind kind, DateTimeOffset now, string? message = null) =>
        pipeline.WithStage(kind, s => s with { Status = PipelineStageStatus.Succeeded, EndedAt = now, Message = message });

    /// <summary>The pipeline succeeded: stages that did not run (a build-only pipeline's release and deploy) are skipped.</summary>
    public static Pipeline Succeed(this Pipeline pipeline, DateTimeOffset now) => pipeline.EndPending(PipelineStageStatus.Skipped) with
    {
        Status = PipelineStatus.Succeeded, EndedAt = now,
    };

    /// <summary>The stage failed: the pipeline stops, later stages are skipped, and the message names the stage and why.</summary>
    public static Pipeline Fail(this Pipeline pipeline, PipelineStageKind kind, DateTimeOffset now, string message) =>
        pipeline.WithStage(kind, s => s with { Status = PipelineStageStatus.Failed, StartedAt = s.StartedAt ?? now, EndedAt = now, Message = message })
            .EndPending(PipelineStageStatus.Skipped) with { Status = PipelineStatus.Failed, FailedStage = kind, EndedAt = now, Message = message };

    /// <summary>Cancelled: the running stage and those after it are marked cancelled.</summary>
    public static Pipeline Cancel(this Pipeline pipeline, DateTimeOffset now, string message) =>
        pipeline.EndRunning(PipelineStageStatus.Cancelled, now, message).EndPending(PipelineStageStatus.Cancelled) with
        {
            Status = PipelineStatus.Cancelled, EndedAt = now, Message = message,
        };

    /// <summary>The panel stopped while it ran (or before it started): found so at the panel's next start.</summary>
    public static Pipeline Interrupt(this Pipeline pipeline, DateTimeOffset now)
    {
        // A deployment cut off by a restart is finished by the panel itself (deployment recovery): starting the pipeline
        // again would only collide with it.
        var message = pipeline.Stages.Any(s => s is { Kind: PipelineStageKind.Deploy, Status: PipelineStageStatus.Running }) && pipeline.DeploymentId is { } deployment
            ? $"The panel stopped during deployment {deployment}; the panel resumes that deployment by itself, so follow it there."
            : "The panel stopped while this pipeline ran; start it again.";
        return pipeline.EndRunning(PipelineStageStatus.Failed, now, message).EndPending(PipelineStageStatus.Skipped) with
        {
            Status = PipelineStatus.Interrupted, FailedStage = pipeline.Stages.FirstOrDefault(s => s.Status == PipelineStageStatus.Running)?.Kind, EndedAt = now, Message = message,
        };
    }

    public static Pipeline Supersede(this Pipeline pipeline, Pipeline by, DateTimeOffset now) => pipeline.EndPending(PipelineStageStatus.Skipped) with
    {
        Status = PipelineStatus.Superseded, SupersededBy = by.Id, EndedAt = now,
        Message = $"Replaced by a later request ({by.ShortCommit ?? by.Revision}, by {by.TriggeredBy}) before it ran.",
    };

    private static Pipeline WithStage(this Pipeline pipeline, PipelineStageKind kind, Func<PipelineStage, PipelineStage> change) =>
        pipeline with { Stages = [.. pipeline.Stages.Select(s => s.Kind == kind ? change(s) : s)] };

    private static Pipeline EndRunning(this Pipeline pipeline, PipelineStageStatus status, DateTimeOffset now, string message) =>
        pipeline with { Stages = [.. pipeline.Stages.Select(s => s.Status == PipelineStageStatus.Running ? s with { Status = status, EndedAt = now, Message = message } : s)] };

    private static Pipeline EndPending(this Pipeline pipeline, PipelineStageStatus status) =>
        pipeline with { Stages = [.. pipeline.Stages.Select(s => s.Status == PipelineStageStatus.Pending ? s with { Status = status } : s)] };
}
