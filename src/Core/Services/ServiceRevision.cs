namespace ControlPanel.Core.Services;

/// <summary>
/// One saved version of a service's definition. Every change makes a new revision; old ones stay readable.
/// <see cref="Runtime"/> says how it runs (null until defined); secret environment values in it are encrypted.
/// A <see cref="Deleted"/> revision marks the service deleted (<see cref="ServiceRemoval"/>); saving the name again continues its history.
/// </summary>
public sealed record ServiceRevision(string Service, int Number, BuildSettings Build, string ChangedBy, DateTimeOffset ChangedAt, Releases.RuntimeSpec? Runtime = null,
    bool Deleted = false);

/// <summary>Stored service definitions. Implemented in Infrastructure; <see cref="ServiceCatalog"/> is the way in.</summary>
public interface IServiceStore
{
    /// <summary>The current revision of every service not deleted, by name.</summary>
    Task<IReadOnlyList<ServiceRevision>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The revision numbered <paramref name="revision"/>, or the current one (null when the service is deleted).</summary>
    Task<ServiceRevision?> FindAsync(string service, int? revision, CancellationToken cancellationToken);

    /// <summary>Every revision of the service, newest first.</summary>
    Task<IReadOnlyList<ServiceRevision>> RevisionsAsync(string service, CancellationToken cancellationToken);

    /// <summary>Stores the next revision and the audit entry in one transaction.</summary>
    Task<ServiceRevision> AddRevisionAsync(string service, BuildSettings build, Releases.RuntimeSpec? runtime, Audit.AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Stores the revision after <paramref name="latest"/>, a copy of it marked deleted.</summary>
    Task<ServiceRevision> MarkDeletedAsync(ServiceRevision latest, string by, DateTimeOffset at, CancellationToken cancellationToken);
}

public sealed class ServiceNotFoundException(string service, int? revision = null)
    : Common.ControlPanelException(revision is null ? $"Service '{service}' is not defined in the panel." : $"Service '{service}' has no revision {revision}.")
{
    public string Service { get; } = service;
}
