namespace ControlPanel.Core.Services;

/// <summary>
/// One saved version of a service's definition. Every change makes a new revision; old ones stay readable.
/// The runtime part (replicas, environment, ports, health, stop signal, limits) joins <see cref="Build"/> with releases.
/// </summary>
public sealed record ServiceRevision(string Service, int Number, BuildSettings Build, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>Stored service definitions. Implemented in Infrastructure; <see cref="ServiceCatalog"/> is the way in.</summary>
public interface IServiceStore
{
    /// <summary>The current revision of every service, by name.</summary>
    Task<IReadOnlyList<ServiceRevision>> ListAsync(CancellationToken cancellationToken);

    Task<ServiceRevision?> FindAsync(string service, int? revision, CancellationToken cancellationToken);

    /// <summary>Every revision of the service, newest first.</summary>
    Task<IReadOnlyList<ServiceRevision>> RevisionsAsync(string service, CancellationToken cancellationToken);

    /// <summary>Stores the next revision and the audit entry in one transaction.</summary>
    Task<ServiceRevision> AddRevisionAsync(string service, BuildSettings build, Audit.AuditEntry audit, CancellationToken cancellationToken);
}

public sealed class ServiceNotFoundException(string service, int? revision = null)
    : Common.ControlPanelException(revision is null ? $"Service '{service}' is not defined in the panel." : $"Service '{service}' has no revision {revision}.")
{
    public string Service { get; } = service;
}
