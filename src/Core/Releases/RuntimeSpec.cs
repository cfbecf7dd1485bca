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
    /// <summary>Nodes by name; empty means every node that matches nodeLabels (or every node).</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];
    /// <summary>Nodes whose labels include all of these.</summary>
    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();
    /// <summary>Replicas on each chosen node (default 1); each has its own slot and, from a port range, its own port.</summary>
    public int ReplicasPerNode { get; init; } = 1;
    /// <summary>Environment variables of each replica; secret ones are stored encrypted and shown masked.</summary>
    public IReadOnlyList<EnvironmentValue> Environment { get; init; } = [];
    /// <summary>Where replicas listen, each handed to the replica in its own environment variable.</summary>
    public IReadOnlyList<PortSpec> Ports { get; init; } = [];
    /// <summary>Bind mounts as host-path:container-path[:ro]; host paths only where an Admin allows them.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>Overrides the image's command when set.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>When a new replica counts as healthy: image (its HEALTHCHECK, the default), none (running), http (httpProbe), tcp (tcpProbe) or fastCgi (fastCgiProbe).</summary>
    public HealthKind Health { get; init; } = HealthKind.Image;
    /// <summary>Required when health is Http.</summary>
    public HttpProbe? HttpProbe { get; init; }
    /// <summary>Required when health is Tcp.</summary>
    public TcpProbe? TcpProbe { get; init; }
    /// <summary>Required when health is FastCgi.</summary>
    public FastCgiProbe? FastCgiProbe { get; init; }
    /// <summary>Set in each container's own configuration, so any stop — by the panel or by hand — is graceful (e.g. SIGQUIT for PHP-FPM).</summary>
    public string StopSignal { get; init; } = "SIGTERM";
    /// <summary>How long a stopping replica may take after its stop signal before it is killed (default 10).</summary>
    public int StopTimeoutSeconds { get; init; } = 10;
    /// <summary>
    /// Runs Docker's init process as PID 1, which passes the stop signal on to the program: a program started by a shell
    /// that does not exec it, or one without its own signal handlers, then stops instead of being killed at the timeout.
    /// </summary>
    public bool Init { get; init; }
    /// <summary>Memory limit of each replica in MiB; none when null.</summary>
    public long? MemoryMb { get; init; }
    /// <summary>CPU limit of each replica in cores (0.5 is half a core); none when null.</summary>
    public double? Cpus { get; init; }
    /// <summary>no, on-failure, unless-stopped or always.</summary>
    public string RestartPolicy { get; init; } = "unless-stopped";
    /// <summary>Labels set on each replica's container, beside the panel's own.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>How a new release replaces the running one.</summary>
    public UpdatePolicy Update { get; init; } = new();
    /// <summary>
    /// The longest a replica taken out of rotation is given to finish its open connections before its stop signal; the
    /// drain ends as soon as none is left. 0: no wait, unless the service is routed (then 30 s).
    /// </summary>
    public int DrainDelaySeconds { get; init; }
    /// <summary>This service's replicas are nginx routers: each gets the upstream of every service routed through it.</summary>
    public bool Router { get; init; }
    /// <summary>Reached through a router, which the panel keeps listing this service's healthy replicas that are not draining.</summary>
    public Traffic.RouteSpec? Route { get; init; }

    /// <summary>How replicas are registered in Consul when the panel uses it; null: under the service's name on its first port.</summary>
    public Discovery.DiscoverySpec? Discovery { get; init; }

    /// <summary>The order a rollout uses (read-only): update.order, or stop-first when a port is fixed and start-first otherwise.</summary>
    public UpdateOrder EffectiveOrder => Update.Order ?? (Ports.Any(p => p.Fixed is not null) ? UpdateOrder.StopFirst : UpdateOrder.StartFirst);
}

/// <summary>An environment variable of each replica.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">Its value; a masked secret sent back keeps the stored value.</param>
/// <param name="Secret">Stored encrypted, masked wherever it is shown.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EnvironmentValue(string Name, string Value, bool Secret = false);

/// <summary>Where a replica listens: a fixed port, or one chosen per replica from a range; passed in the variable that name names.</summary>
/// <param name="Name">The environment variable that hands the replica its port, e.g. PORT.</param>
/// <param name="Fixed">One port for every replica on a node; it makes updates stop-first.</param>
/// <param name="RangeStart">First port of the range each replica gets its own port from.</param>
/// <param name="RangeEnd">Last port of that range.</param>
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
    /// <summary>The panel connects to the replica's port (<see cref="TcpProbe"/>): accepting connections is enough.</summary>
    Tcp,
    /// <summary>The panel asks the replica's FastCGI server for a path and expects an answer (<see cref="FastCgiProbe"/>), e.g. PHP-FPM's ping.</summary>
    FastCgi,
}

/// <summary>An HTTP health probe: healthy when GET path answers 2xx or 3xx within timeoutSeconds.</summary>
/// <param name="Path">The path to GET, e.g. /health.</param>
/// <param name="PortName">The name of one of the service's ports (each replica's own port), or...</param>
/// <param name="Port">...a fixed port number.</param>
/// <param name="TimeoutSeconds">How long one probe may take (default 2).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HttpProbe(string Path, string? PortName = null, int? Port = null, int TimeoutSeconds = 2);

/// <summary>A TCP health probe: healthy when a connection to the port is accepted within timeoutSeconds.</summary>
/// <param name="PortName">The name of one of the service's ports (each replica's own port), or...</param>
/// <param name="Port">...a fixed port number.</param>
/// <param name="TimeoutSeconds">How long one connection attempt may take (default 2).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TcpProbe(string? PortName = null, int? Port = null, int TimeoutSeconds = 2);

/// <summary>
/// A FastCGI health probe, as PHP-FPM's ping.path and ping.response are meant to be used: healthy when a request for
/// path answers 2xx with a body that is response (surrounding white space ignored) within timeoutSeconds. Unlike a TCP
/// probe it catches a server that still accepts connections but no longer answers.
/// </summary>
/// <param name="Path">The path asked for, e.g. PHP-FPM's ping.path (default /ping).</param>
/// <param name="Response">The body expected, e.g. PHP-FPM's ping.response (default pong).</param>
/// <param name="PortName">The name of one of the service's ports (each replica's own port), or...</param>
/// <param name="Port">...a fixed port number.</param>
/// <param name="TimeoutSeconds">How long one probe may take (default 2).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FastCgiProbe(string Path = "/ping", string Response = "pong", string? PortName = null, int? Port = null, int TimeoutSeconds = 2);

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
    /// <summary>Pause between batches, in seconds.</summary>
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
    /// <summary>What a failed rollout does: rollback (the default) restores the previous release; pause leaves the slots as they are.</summary>
    public FailureAction FailureAction { get; init; } = FailureAction.Rollback;
    /// <summary>A new replica not healthy by then has failed.</summary>
    public int ProgressDeadlineSeconds { get; init; } = 60;
}
