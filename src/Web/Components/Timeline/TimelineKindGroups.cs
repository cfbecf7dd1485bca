using ControlPanel.Core.Timeline;

namespace ControlPanel.Web.Components.Timeline;

/// <summary>The timeline's filter chips: kinds grouped as on-call thinks of them, and each kind's short label.</summary>
public static class TimelineKindGroups
{
    public static readonly IReadOnlyList<(string Name, FleetEventKind[] Kinds)> All =
    [
        ("Crashes", [FleetEventKind.ContainerDied, FleetEventKind.OomKilled, FleetEventKind.ContainerKilled, FleetEventKind.ContainerRestarted, FleetEventKind.CrashLoop]),
        ("Health", [FleetEventKind.HealthChanged, FleetEventKind.HealthFlap, FleetEventKind.UnhealthyTooLong]),
        ("Nodes", [FleetEventKind.NodeUnreachable, FleetEventKind.NodeReachable, FleetEventKind.EngineRestarted]),
        ("Deployments", [FleetEventKind.DeploymentStarted, FleetEventKind.DeploymentStep, FleetEventKind.DeploymentSucceeded, FleetEventKind.DeploymentFailed,
            FleetEventKind.DeploymentRolledBack, FleetEventKind.SafeRestart, FleetEventKind.ReleaseCreated]),
        ("Builds", [FleetEventKind.BuildStarted, FleetEventKind.BuildSucceeded, FleetEventKind.BuildFailed, FleetEventKind.PipelineSucceeded, FleetEventKind.PipelineFailed]),
        ("Actions", [FleetEventKind.ContainerAction]),
    ];

    public static string Label(FleetEventKind kind) => kind switch
    {
        FleetEventKind.ContainerDied => "Died",
        FleetEventKind.OomKilled => "OOM killed",
        FleetEventKind.ContainerKilled => "Killed",
        FleetEventKind.ContainerRestarted => "Restarted",
        FleetEventKind.CrashLoop => "Crash loop",
        FleetEventKind.HealthChanged => "Health",
        FleetEventKind.HealthFlap => "Health flap",
        FleetEventKind.UnhealthyTooLong => "Unhealthy",
        FleetEventKind.EngineRestarted => "Engine restarted",
        FleetEventKind.NodeUnreachable => "Node unreachable",
        FleetEventKind.NodeReachable => "Node back",
        FleetEventKind.DeploymentStarted => "Deploy started",
        FleetEventKind.DeploymentStep => "Deploy step",
        FleetEventKind.DeploymentSucceeded => "Deployed",
        FleetEventKind.DeploymentFailed => "Deploy failed",
        FleetEventKind.DeploymentRolledBack => "Rolled back",
        FleetEventKind.BuildStarted => "Build started",
        FleetEventKind.BuildSucceeded => "Built",
        FleetEventKind.BuildFailed => "Build failed",
        FleetEventKind.ReleaseCreated => "Release",
        FleetEventKind.SafeRestart => "Safe restart",
        FleetEventKind.ContainerAction => "Action",
        FleetEventKind.PipelineSucceeded => "Pipeline done",
        FleetEventKind.PipelineFailed => "Pipeline failed",
        _ => kind.ToString(),
    };

    /// <summary>Red for what broke, amber for what wavered, plain for the rest.</summary>
    public static MudBlazor.Color Color(FleetEventKind kind) => kind switch
    {
        FleetEventKind.OomKilled or FleetEventKind.CrashLoop or FleetEventKind.DeploymentFailed or FleetEventKind.BuildFailed or FleetEventKind.PipelineFailed
            or FleetEventKind.NodeUnreachable or FleetEventKind.UnhealthyTooLong => MudBlazor.Color.Error,
        FleetEventKind.ContainerDied or FleetEventKind.HealthFlap or FleetEventKind.DeploymentRolledBack or FleetEventKind.ContainerRestarted
            or FleetEventKind.EngineRestarted => MudBlazor.Color.Warning,
        FleetEventKind.DeploymentSucceeded or FleetEventKind.BuildSucceeded or FleetEventKind.PipelineSucceeded or FleetEventKind.NodeReachable => MudBlazor.Color.Success,
        _ => MudBlazor.Color.Default,
    };
}
