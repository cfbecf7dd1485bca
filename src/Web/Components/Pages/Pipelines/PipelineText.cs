using ControlPanel.Core.Pipelines;

namespace ControlPanel.Web.Components.Pages.Pipelines;

/// <summary>How pipelines read on the service page and their own page.</summary>
public static class PipelineText
{
    public static string Commit(Pipeline p) => p.ShortCommit ?? "";

    public static string Trigger(Pipeline p) => p.Trigger switch
    {
        PipelineTrigger.Click => "click",
        PipelineTrigger.Push => p.Provider is { } provider ? $"push ({provider})" : "push",
        _ => "API",
    };

    /// <summary>A stage's time: how long it took, or so far while it runs; empty before it starts.</summary>
    public static string Elapsed(PipelineStage stage, DateTimeOffset now) =>
        stage.Duration is { } d ? Seconds(d) : stage.StartedAt is { } start && stage.Status == PipelineStageStatus.Running ? Seconds(now - start) + "…" : "";

    public static string Seconds(TimeSpan t) => $"{Math.Max(0, t.TotalSeconds):0.0} s";

    public static MudBlazor.Color StageColor(PipelineStageStatus status) => status switch
    {
        PipelineStageStatus.Succeeded => MudBlazor.Color.Success,
        PipelineStageStatus.Running => MudBlazor.Color.Info,
        PipelineStageStatus.Failed => MudBlazor.Color.Error,
        PipelineStageStatus.Cancelled => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };
}
