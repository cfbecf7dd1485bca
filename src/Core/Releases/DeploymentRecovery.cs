using ControlPanel.Core.Services;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Releases;

/// <summary>
/// What happens to a deployment whose panel stopped mid-way (killed, crashed, its machine lost). The rule: it is
/// finished. Once it is marked interrupted, the panel starts a deployment of the same release, started by
/// <see cref="StartedBy"/>, and records it on the interrupted one as a <see cref="DeploymentStepAction.Resume"/> step.
/// That rollout leaves the slots already on the release, replaces the others and removes the replicas left beside
/// them, so every slot ends with exactly one healthy replica of one release; should the release fail there, its
/// update policy's failure action applies as in any deployment (by default, back to the release before).
/// Nothing is resumed when the service was deleted or another deployment of it already started.
/// </summary>
public sealed class DeploymentRecovery(IServiceStore services, IReleaseStore store, DeploymentStarter starter, Fleet.INodeDirectory nodes, TimeProvider time,
    ILogger<DeploymentRecovery> logger)
{
    public const string StartedBy = "panel (resuming)";
    private const string ResumedByPrefix = "resumed by deployment ";

    /// <summary>The deployment that finishes an interrupted one, from its <see cref="DeploymentStepAction.Resume"/> step; null when it was not resumed.</summary>
    public static Guid? ResumedBy(DeploymentStep step) =>
        step.Action == DeploymentStepAction.Resume && step.Detail is { } detail && detail.StartsWith(ResumedByPrefix, StringComparison.Ordinal)
        && Guid.TryParse(detail.AsSpan(ResumedByPrefix.Length), out var id) ? id : null;

    /// <summary>Resumes each interrupted deployment; never throws for one that cannot be (it is logged and recorded).</summary>
    public async Task ResumeAsync(IReadOnlyList<Deployment> interrupted, CancellationToken cancellationToken)
    {
        foreach (var deployment in interrupted)
        {
            string detail;
            try
            {
                detail = await ResumeAsync(deployment, cancellationToken);
            }
            catch (Common.ControlPanelException ex)
            {
                detail = $"not resumed: {ex.Message}";
                logger.LogWarning("Interrupted deployment {Deployment} of {Service} could not be resumed: {Reason}", deployment.Id, deployment.Service, ex.Message);
            }
            await store.AddStepAsync(deployment.Id, new DeploymentStep(0, "panel", null, DeploymentStepAction.Resume, time.GetUtcNow(), TimeSpan.Zero, null, null, null, detail), cancellationToken);
        }
    }

    private async Task<string> ResumeAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        if (await services.FindAsync(deployment.Service, null, cancellationToken) is null) return $"not resumed: service '{deployment.Service}' is not defined any more (deleted)";
        var newer = (await store.ListDeploymentsAsync(deployment.Service, 1, cancellationToken)).FirstOrDefault();
        if (newer is not null && newer.Id != deployment.Id) return $"not resumed: deployment {newer.Id} of release {newer.Release} started after it";
        var release = await store.FindReleaseAsync(deployment.Service, deployment.Release, cancellationToken)
            ?? throw new Common.InvalidRequestException("release", $"release {deployment.Release} is no longer stored");
        // A drain resumes as a drain: the replicas left on the node it was emptying are retired too.
        var leaving = deployment.Kind == DeploymentKind.Drain && deployment.LeavingNode is { } name ? nodes.Find(name) : null;
        var resumed = await starter.StartAsync(release, StartedBy, null, $"Finishes deployment {deployment.Id}, interrupted when its panel stopped.", cancellationToken,
            leaving is null ? DeploymentKind.Release : DeploymentKind.Drain, leaving: leaving);
        logger.LogWarning("Interrupted deployment {Deployment} of {Service} is being finished by deployment {Resumed}", deployment.Id, deployment.Service, resumed.Id);
        return ResumedByPrefix + resumed.Id;
    }
}
