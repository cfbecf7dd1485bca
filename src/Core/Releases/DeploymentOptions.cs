namespace ControlPanel.Core.Releases;

/// <summary>How long a deployment waits for an engine: a hung engine fails its step instead of holding the deployment forever.</summary>
public sealed class DeploymentOptions
{
    /// <summary>Reading a node's replicas, creating, starting, inspecting or removing one; a stop gets the replica's stop timeout on top.</summary>
    public TimeSpan EngineCallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pulling the release's image on one node (big images on slow links take minutes).</summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
