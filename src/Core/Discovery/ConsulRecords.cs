namespace ControlPanel.Core.Discovery;

/// <summary>An answer to a blocking query and the index to pass on the next one.</summary>
/// <param name="Index">Already corrected by <see cref="BlockingIndex.Next"/>: use it as is for the next query.</param>
/// <param name="Changed">False when the query came back with the index it was given: the wait ran out, nothing changed.</param>
/// <param name="FilteredByAcls">Consul left out entries the token may not read (X-Consul-Results-Filtered-By-ACLs).</param>
public sealed record Indexed<T>(T Value, ulong Index, bool Changed, bool FilteredByAcls = false);

public enum CheckStatus
{
    Passing,
    Warning,
    Critical,
}

/// <summary>A service instance to register with an agent (Consul's service definition, the part the panel uses).</summary>
/// <param name="Address">Where consumers reach the instance; empty means the agent's own address.</param>
public sealed record ServiceRegistration(
    string Id,
    string Name,
    string Address,
    int Port,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Meta,
    ServiceCheck? Check = null);

/// <summary>
/// One check of a registration: exactly one of <see cref="Http"/>, <see cref="Tcp"/> (host:port) or <see cref="Ttl"/>.
/// <see cref="DeregisterCriticalAfter"/> lets the agent drop an instance the panel can no longer clean up; <see cref="Status"/>
/// is the state it starts in (Consul's default: critical).
/// </summary>
public sealed record ServiceCheck(
    string Id,
    string Name,
    string? Http = null,
    string? Tcp = null,
    TimeSpan? Ttl = null,
    TimeSpan? Interval = null,
    TimeSpan? Timeout = null,
    TimeSpan? DeregisterCriticalAfter = null,
    CheckStatus? Status = null);

/// <summary>A machine running a Consul agent, as the catalog lists it.</summary>
public sealed record CatalogNode(string Id, string Name, string Address, string Datacenter, IReadOnlyDictionary<string, string> Meta);

/// <summary>A service instance as the catalog lists it; <see cref="Address"/> is already the node's when the service names none.</summary>
public sealed record CatalogServiceInstance(
    string Node,
    string NodeAddress,
    string ServiceId,
    string ServiceName,
    string Address,
    int Port,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Meta);

/// <summary>One check's state with the output its last run gave.</summary>
/// <param name="ServiceId">Empty for a node-wide check such as serfHealth.</param>
public sealed record HealthCheckResult(string CheckId, string Name, CheckStatus Status, string Output, string ServiceId);

/// <summary>A service instance with its node and every check that applies to it (the node's and its own).</summary>
public sealed record ServiceHealth(CatalogNode Node, CatalogServiceInstance Service, IReadOnlyList<HealthCheckResult> Checks)
{
    /// <summary>The worst state of all checks: Consul's own aggregate.</summary>
    public CheckStatus Status => Checks.Count == 0 ? CheckStatus.Passing : Checks.Max(c => c.Status);
}
