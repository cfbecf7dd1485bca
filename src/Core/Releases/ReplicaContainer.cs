namespace ControlPanel.Core.Releases;

/// <summary>The labels every replica carries, so the panel always knows what runs where.</summary>
public static class ReplicaLabels
{
    public const string Service = "controlpanel.service";
    public const string Release = "controlpanel.release";
    public const string Deployment = "controlpanel.deployment";
    public const string Slot = "controlpanel.slot";
    /// <summary>The stop timeout in the container's own configuration, so whoever stops it knows how long it may take.</summary>
    public const string StopTimeout = "controlpanel.stop-timeout";
    /// <summary>Prefix of the labels recording the port a replica was given, per port name.</summary>
    public const string PortPrefix = "controlpanel.port.";
    /// <summary>
    /// Names of the environment values stored as secrets, comma-separated, so the container page masks them even when
    /// their names do not look secret (DATABASE_URL). Names only: never a value.
    /// </summary>
    public const string SecretEnvironment = "controlpanel.secret-env";
}

/// <summary>A replica as created: everything its container's own configuration must say.</summary>
public sealed record ReplicaContainer(
    string Name,
    string Image,
    IReadOnlyList<string> Environment,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Labels,
    string StopSignal,
    int StopTimeoutSeconds,
    long? MemoryBytes,
    double? Cpus,
    string RestartPolicy,
    IReadOnlyList<string> Volumes,
    bool IgnoreImageHealthcheck,
    bool Init = false);
