using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>
/// The stops of a service's latest deployment that stopped replicas, when some of them ran out the stop timeout and
/// ended in SIGKILL. Only the latest such deployment counts, so a fix that made stops graceful clears the warning.
/// </summary>
/// <param name="Deployment">The deployment whose stop-old steps say so.</param>
/// <param name="Killed">Stops that ended in SIGKILL.</param>
/// <param name="Stopped">Stops the deployment made.</param>
/// <param name="Detail">The first killed stop's detail: the timeout and the likely cause.</param>
public sealed record HungStops(Guid Deployment, int Killed, int Stopped, string Detail)
{
    /// <summary>How many recent deployments are read for one that stopped a replica.</summary>
    public const int DeploymentsRead = 5;

    /// <summary>Reads the service's recent deployments (their steps) newest first; null when the latest stops were graceful or there were none.</summary>
    public static async Task<HungStops?> FindAsync(ReleaseService releases, string service, CancellationToken cancellationToken)
    {
        foreach (var listed in await releases.DeploymentsAsync(service, DeploymentsRead, cancellationToken))
        {
            var deployment = await releases.DeploymentAsync(listed.Id, cancellationToken);
            if (In(deployment) is { } found) return found.Killed > 0 ? found : null;
        }
        return null;
    }

    /// <summary>The deployment's finished stops (of old replicas, or of a safe restart), killed or not; null when it stopped no replica.</summary>
    public static HungStops? In(Deployment deployment)
    {
        var stops = deployment.Steps.Where(s => s.Action is DeploymentStepAction.StopOld or DeploymentStepAction.Stop && s.Duration is not null && !s.Failed).ToList();
        if (stops.Count == 0) return null;
        var killed = stops.Where(s => StopDiagnosis.IsKill(s.Detail)).ToList();
        return new HungStops(deployment.Id, killed.Count, stops.Count, killed.FirstOrDefault()?.Detail ?? "");
    }
}
