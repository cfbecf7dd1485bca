using System.Text.Json.Serialization;

namespace ControlPanel.Core.Releases;

/// <summary>
/// How a service runs: where, how many, with what, how it is checked, how it stops, and how a new version
/// replaces the old. Containers use the host's network, so a "port" is where a replica listens, handed to it
/// in an environment variable. There is deliberately no privileged mode, capability, host PID/IPC or device setting:
/// a replica must not own its host. A member the spec does not have (privileged: true) is refused by name, not
/// silently dropped, so nobody believes it took effect.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RuntimeSpec
{
    /// <summary>Nodes by name; empty means every node that matches <see cref="NodeLabels"/> (or every node).</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];
    /// <summary>Nodes whose labels include all of these.</summary>
    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();
    public int ReplicasPerNode { get; init; } = 1;
    public IReadOnlyList<EnvironmentValue> Environment { get; init; } = [];
    public IReadOnlyList<PortSpec> Ports { get; init; } = [];
    /// <summary>host-path:container-path[:ro]</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>Overrides the image's command when set.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public HealthKind Health { get; init; } = HealthKind.Image;
    /// <summary>Required when <see cref="Health"/> is <see cref="HealthKind.Http"/>.</summary>
    public HttpProbe? HttpProbe { get; init; }
    /// <summary>Set in each container's own configuration, so any stop — by the panel or by hand — is graceful (e.g. SIGQUIT for PHP-FPM).</summary>
    public string StopSignal { get; init; } = "SIGTERM";
    public int StopTimeoutSeconds { get; init; } = 10;
    public long? MemoryMb { get; init; }
    public double? Cpus { get; init; }
    /// <summary>no, on-failure, unless-stopped or always.</summary>
    public string RestartPolicy { get; init; } = "unless-stopped";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public UpdatePolicy Update { get; init; } = new();
    /// <summary>After a replica leaves rotation and before it is signalled, so load balancers stop sending it work.</summary>
    public int DrainDelaySeconds { get; init; }

    public UpdateOrder EffectiveOrder => Update.Order ?? (Ports.Any(p => p.Fixed is not null) ? UpdateOrder.StopFirst : UpdateOrder.StartFirst);
}

/// <param name="Secret">Stored encrypted, masked wherever it is shown.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EnvironmentValue(string Name, string Value, bool Secret = false);

/// <summary>Where a replica listens: a fixed port, or one chosen per replica from a range; passed in the variable <see cref="Name"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PortSpec(string Name, int? Fixed = null, int? RangeStart = null, int? RangeEnd = null);

public enum HealthKind
{
    /// <summary>The image's Docker HEALTHCHECK must report healthy (a running container without one counts as healthy).</summary>
    Image,
    /// <summary>Running is enough.</summary>
    None,
    /// <summary>The panel itself GETs <see cref="HttpProbe"/> on the replica's node and port, as a load balancer would.</summary>
    Http,
}

/// <summary>An HTTP health probe: healthy when GET <see cref="Path"/> answers 2xx or 3xx within <see cref="TimeoutSeconds"/>.</summary>
/// <param name="PortName">The name of one of the service's ports (each replica's own port), or...</param>
/// <param name="Port">...a fixed port number.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HttpProbe(string Path, string? PortName = null, int? Port = null, int TimeoutSeconds = 2);

public enum UpdateOrder
{
    /// <summary>The new replica is healthy before the old one stops.</summary>
    StartFirst,
    /// <summary>The old replica stops first (needed when a fixed port would clash).</summary>
    StopFirst,
}

public enum FailureAction
{
    Rollback,
    Pause,
}

/// <summary>How a release replaces the running one.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdatePolicy
{
    /// <summary>Replicas replaced at once.</summary>
    public int Parallelism { get; init; } = 1;
    /// <summary>null: start-first unless a fixed port makes it stop-first.</summary>
    public UpdateOrder? Order { get; init; }
    public int DelaySeconds { get; init; }
    /// <summary>A new replica must stay healthy this long to count.</summary>
    public int MonitorSeconds { get; init; } = 2;
    /// <summary>
    /// How many of the service's replicas may be out of service at once. Stop-first takes each batch's replicas down,
    /// so its batches are at most this big (null: the parallelism); start-first never takes one down before its
    /// successor is healthy, so any value fits it.
    /// </summary>
    public int? MaxUnavailable { get; init; }

    /// <summary>Replicas replaced at once: the parallelism, for stop-first also at most <see cref="MaxUnavailable"/>.</summary>
    public int BatchSize(UpdateOrder order) => order == UpdateOrder.StopFirst ? Math.Min(Parallelism, MaxUnavailable ?? Parallelism) : Parallelism;
    public FailureAction FailureAction { get; init; } = FailureAction.Rollback;
    /// <summary>A new replica not healthy by then has failed.</summary>
    public int ProgressDeadlineSeconds { get; init; } = 60;
}
