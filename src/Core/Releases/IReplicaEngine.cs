using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;

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
    bool IgnoreImageHealthcheck);

/// <param name="Health">none, starting, healthy or unhealthy (the engine's words).</param>
/// <param name="Detail">Why it is not healthy: the exit code or the last health check output.</param>
public sealed record ReplicaState(bool Running, int? ExitCode, string Health, string? Detail);

/// <summary>The engine operations a deployment needs beyond <see cref="IContainerEngine"/>.</summary>
public interface IReplicaEngine
{
    /// <summary>Pulls an image by digest; throws <see cref="Common.EngineRefusedException"/> with the engine's message.</summary>
    Task PullAsync(NodeDefinition node, string image, RegistryCredentials? credentials, CancellationToken cancellationToken);

    /// <summary>Creates (does not start) the container; returns its id.</summary>
    Task<string> CreateAsync(NodeDefinition node, ReplicaContainer replica, CancellationToken cancellationToken);

    Task<ReplicaState> StateAsync(NodeDefinition node, string id, CancellationToken cancellationToken);

    /// <summary>The service's containers on the node (any state), by label.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListServiceAsync(NodeDefinition node, string service, CancellationToken cancellationToken);
}

/// <summary>Encrypts values the panel must keep but never show (secret environment values).</summary>
public interface ISecretProtector
{
    string Protect(string value);

    /// <summary>Throws <see cref="Common.ControlPanelException"/> when the value cannot be decrypted (keys lost).</summary>
    string Unprotect(string protectedValue);
}
