using ControlPanel.Core.Pipelines;

namespace ControlPanel.Core.Tests.Pipelines;

public sealed class PipelineInterruptTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static Pipeline Running() => new()
    {
        Id = Guid.NewGuid(), Service = "shop", Trigger = PipelineTrigger.Push, TriggeredBy = "octocat (push)", Revision = "main",
        CreatedAt = Now, Status = PipelineStatus.Running, Stages = PipelineProgress.NewStages(),
    };

    [Fact]
    public void InterruptedDuringItsDeployment_PointsAtTheDeploymentThePanelResumes_InsteadOfAskingForAnotherRun()
    {
        var deployment = Guid.NewGuid();
        var deploying = Running().StartStage(PipelineStageKind.Build, Now).SucceedStage(PipelineStageKind.Build, Now)
            .StartStage(PipelineStageKind.Release, Now).SucceedStage(PipelineStageKind.Release, Now)
            .StartStage(PipelineStageKind.Deploy, Now) with { DeploymentId = deployment };

        var interrupted = deploying.Interrupt(Now);

        Assert.Equal(PipelineStatus.Interrupted, interrupted.Status);
        Assert.Equal(PipelineStageKind.Deploy, interrupted.FailedStage);
        Assert.Contains(deployment.ToString(), interrupted.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("start it again", interrupted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InterruptedDuringItsBuild_AsksForAnotherRun()
    {
        var interrupted = Running().StartStage(PipelineStageKind.Build, Now).Interrupt(Now);

        Assert.Equal(PipelineStageKind.Build, interrupted.FailedStage);
        Assert.Contains("start it again", interrupted.Message, StringComparison.Ordinal);
        Assert.Equal(PipelineStageStatus.Skipped, interrupted.Stage(PipelineStageKind.Deploy).Status);
    }
}
