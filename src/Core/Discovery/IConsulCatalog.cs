namespace ControlPanel.Core.Discovery;

/// <summary>
/// What the panel reads from Consul's catalog (any agent or server of the configured datacenter). The reads are
/// blocking queries: pass the <see cref="Indexed{T}.Index"/> of the previous answer to wait up to
/// the given wait for a change; index 0 answers at once. Failures are <see cref="ConsulException"/>s.
/// </summary>
public interface IConsulCatalog
{
    /// <summary>The address of the cluster's Raft leader (empty when there is none); a cheap connection test.</summary>
    Task<string> LeaderAsync(CancellationToken cancellationToken);

    /// <summary>Every service name in the catalog with the tags its instances carry.</summary>
    Task<Indexed<IReadOnlyDictionary<string, IReadOnlyList<string>>>> ServicesAsync(ulong index, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>The instances of one service as registered, without their health.</summary>
    Task<Indexed<IReadOnlyList<CatalogServiceInstance>>> ServiceAsync(string service, ulong index, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>The nodes (machines running an agent) of the datacenter.</summary>
    Task<Indexed<IReadOnlyList<CatalogNode>>> NodesAsync(ulong index, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>The instances of one service with their node's and their own checks; only those passing every check when <paramref name="passingOnly"/>.</summary>
    Task<Indexed<IReadOnlyList<ServiceHealth>>> HealthAsync(string service, bool passingOnly, ulong index, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>
/// Writes to the Consul agent on a node's own host, the way Registrator registers a host's containers. Agents own
/// their services: a registration lives on the agent of the node that runs the replica.
/// </summary>
public interface IConsulAgent
{
    /// <summary>Registers (or replaces, with its checks) a service instance on the node's agent.</summary>
    Task RegisterAsync(Fleet.NodeDefinition node, ServiceRegistration registration, CancellationToken cancellationToken);

    /// <summary>Removes a service instance and its checks; nothing happens when the agent does not know it.</summary>
    Task DeregisterAsync(Fleet.NodeDefinition node, string serviceId, CancellationToken cancellationToken);

    /// <summary>Puts an instance in maintenance (hidden from DNS and health queries) or takes it out.</summary>
    Task SetMaintenanceAsync(Fleet.NodeDefinition node, string serviceId, bool enable, string? reason, CancellationToken cancellationToken);

    /// <summary>Reports a TTL check's state and restarts its clock.</summary>
    Task ReportTtlAsync(Fleet.NodeDefinition node, string checkId, CheckStatus status, string? note, CancellationToken cancellationToken);
}
