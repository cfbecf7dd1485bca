using ControlPanel.Core.Audit;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPanel.TestSupport;

/// <summary>
/// The real release store, watched: counts the reads of deployments, and can make them fail as a database that
/// stops answering would. <see cref="Decorate"/> puts it in an app's services (e.g. in PanelFactory.ConfigureServices).
/// </summary>
public sealed class ObservedReleaseStore(IReleaseStore inner) : IReleaseStore
{
    private int _deploymentReads;
    private int _runningReads;

    public int DeploymentReads => _deploymentReads;
    public int RunningDeploymentReads => _runningReads;

    /// <summary>Asked before each read of a deployment; what it returns is thrown instead of reading.</summary>
    public Func<Guid, Exception?>? FailDeploymentRead { get; set; }

    /// <summary>Replaces the app's store with one around it, itself resolvable as <see cref="ObservedReleaseStore"/>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        services.RemoveAll<IReleaseStore>();
        services.AddSingleton(sp => new ObservedReleaseStore(ActivatorUtilities.CreateInstance<EfReleaseStore>(sp)));
        services.AddSingleton<IReleaseStore>(sp => sp.GetRequiredService<ObservedReleaseStore>());
    }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _deploymentReads, 0);
        Interlocked.Exchange(ref _runningReads, 0);
    }

    public async Task<Deployment?> FindDeploymentAsync(Guid id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deploymentReads);
        if (FailDeploymentRead?.Invoke(id) is { } failure) throw failure;
        return await inner.FindDeploymentAsync(id, cancellationToken);
    }

    public Task<IReadOnlyList<Deployment>> ListRunningDeploymentsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runningReads);
        return inner.ListRunningDeploymentsAsync(cancellationToken);
    }

    public Task<Release> AddReleaseAsync(Release release, AuditEntry audit, CancellationToken ct) => inner.AddReleaseAsync(release, audit, ct);
    public Task<Release?> FindReleaseAsync(string service, int number, CancellationToken ct) => inner.FindReleaseAsync(service, number, ct);
    public Task<IReadOnlyList<Release>> ListReleasesAsync(string service, CancellationToken ct) => inner.ListReleasesAsync(service, ct);
    public Task<IReadOnlyList<Release>> FindReleasesByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken ct) => inner.FindReleasesByDigestsAsync(digests, ct);
    public Task StartDeploymentAsync(Deployment deployment, AuditEntry audit, CancellationToken ct) => inner.StartDeploymentAsync(deployment, audit, ct);
    public Task<DeploymentStep> AddStepAsync(Guid deployment, DeploymentStep step, CancellationToken ct) => inner.AddStepAsync(deployment, step, ct);
    public Task FinishStepAsync(long stepId, TimeSpan duration, bool failed, string? detail, string? containerId, CancellationToken ct) => inner.FinishStepAsync(stepId, duration, failed, detail, containerId, ct);
    public Task FinishDeploymentAsync(Guid deployment, DeploymentStatus status, string? reason, DateTimeOffset at, CancellationToken ct) => inner.FinishDeploymentAsync(deployment, status, reason, at, ct);
    public Task<IReadOnlyList<Deployment>> ListDeploymentsAsync(string? service, int limit, CancellationToken ct) => inner.ListDeploymentsAsync(service, limit, ct);
    public Task TouchDeploymentAsync(Guid deployment, DateTimeOffset at, CancellationToken ct) => inner.TouchDeploymentAsync(deployment, at, ct);
    public Task<IReadOnlyList<Deployment>> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, DateTimeOffset at, CancellationToken ct) => inner.MarkInterruptedAsync(before, alive, at, ct);
    public Task<int?> CurrentReleaseAsync(string service, CancellationToken ct) => inner.CurrentReleaseAsync(service, ct);
}
