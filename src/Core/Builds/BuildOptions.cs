namespace ControlPanel.Core.Builds;

/// <summary>How the panel reaches git sources (ControlPanel:Builds).</summary>
public sealed class BuildOptions
{
    /// <summary>
    /// Accept repositories on the panel's own host (a path or file://). Off by default: whoever defines a service could
    /// otherwise read any repository the panel can, and its files come back in build errors and images.
    /// </summary>
    public bool AllowLocalRepositories { get; set; }

    /// <summary>The longest any one git command may run (a fetch of a big repository over a slow link takes minutes).</summary>
    public TimeSpan GitTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
