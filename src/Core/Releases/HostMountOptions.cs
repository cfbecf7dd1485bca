namespace ControlPanel.Core.Releases;

/// <summary>
/// Which host folders a service may bind-mount into its replicas. A replica with a host path can read and write
/// that part of every node it runs on, so none is allowed until an Admin names them (ControlPanel:HostMounts).
/// </summary>
public sealed class HostMountOptions
{
    /// <summary>Absolute host folders; a bind mount's host path must be one of them or inside one.</summary>
    public List<string> AllowedPaths { get; set; } = [];
}
