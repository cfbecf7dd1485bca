namespace ControlPanel.Core.Releases;

/// <summary>Releases, deployments and the per-service deployment lock, durable across panel instances.</summary>
public interface IReleaseStore
{
    /// <summary>Stores the next release number of the service with the audit entry.</summary>
    Task<Release> AddReleaseAsync(Release release, Audit.AuditEntry audit, CancellationToken cancellationToken);

    Task<Release?> FindReleaseAsync(string service, int number, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Release>> ListReleasesAsync(string service, CancellationToken cancellationToken);

    /// <summary>Releases of any service whose image is one of these digests, for the registry browser.</summary>
    Task<IReadOnlyList<Release>> FindReleasesByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the service's deployment lock and stores the deployment in one transaction; throws
    /// <see cref="DeploymentInProgressException"/> naming the holder when another deployment has it.
    /// </summary>
    Task StartDeploymentAsync(Deployment deployment, Audit.AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Stores a step (before its side effect) and returns it with its id.</summary>
    Task<DeploymentStep> AddStepAsync(Guid deployment, DeploymentStep step, CancellationToken cancellationToken);

    /// <summary>Marks a stored step done (duration) or failed; a detail or container id given replaces the stored one.</summary>
    Task FinishStepAsync(long stepId, TimeSpan duration, bool failed, string? detail, string? containerId, CancellationToken cancellationToken);

    /// <summary>Ends the deployment and releases the service's lock in one transaction.</summary>
    Task FinishDeploymentAsync(Guid deployment, DeploymentStatus status, string? reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task<Deployment?> FindDeploymentAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Newest first; service null for every service.</summary>
    Task<IReadOnlyList<Deployment>> ListDeploymentsAsync(string? service, int limit, CancellationToken cancellationToken);

    /// <summary>Deployments running now, on any instance (without their steps).</summary>
    Task<IReadOnlyList<Deployment>> ListRunningDeploymentsAsync(CancellationToken cancellationToken);

    /// <summary>Records that a running deployment's panel is alive.</summary>
    Task TouchDeploymentAsync(Guid deployment, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks running deployments not touched since <paramref name="before"/>, except <paramref name="alive"/>, interrupted and frees their locks; returns them.</summary>
    Task<IReadOnlyList<Deployment>> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The release the latest succeeded deployment of the service applied; null when none has.</summary>
    Task<int?> CurrentReleaseAsync(string service, CancellationToken cancellationToken);
}
