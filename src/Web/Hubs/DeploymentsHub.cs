using System.Runtime.CompilerServices;
using ControlPanel.Core.Releases;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ControlPanel.Web.Hubs;

/// <summary>
/// Live deployment progress for any client (CLI, chat bots): the deployment with every step so far, then again
/// whenever a step or the status changes, ending with the finished deployment. Read from the store when this
/// instance signals a change, so it also follows (by re-reading every second) a deployment another instance runs.
/// </summary>
[Authorize(Policy = Policies.ViewFleet)]
public sealed class DeploymentsHub(IReleaseStore store, DeploymentChanges changes, UserValidity validity) : Hub
{
    public const string Path = "/hubs/deployments";

    public async IAsyncEnumerable<Deployment> Follow(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Known before anything is kept for it.
        _ = await store.FindDeploymentAsync(id, cancellationToken) ?? throw new HubException($"Deployment {id} is not known.");
        string? sent = null;
        while (true)
        {
            var next = changes.Next(id);
            var deployment = await store.FindDeploymentAsync(id, cancellationToken) ?? throw new HubException($"Deployment {id} is not known.");
            // A change is a new step, a finished step or a new status.
            var version = $"{deployment.Status}|{deployment.Steps.Count}|{deployment.Steps.Count(s => s.Duration is not null)}";
            if (version != sent)
            {
                // Revocation reaches open streams: a disabled user or a revoked token is cut at the next check.
                if (!await validity.IsStillValidAsync(Context.User, cancellationToken)) throw new HubException(UserValidity.SignedOut);
                sent = version;
                yield return deployment;
            }
            if (deployment.IsFinished)
            {
                changes.Changed(id); // drops its entry (waking any other follower) so entries do not pile up
                yield break;
            }
            await changes.WaitAsync(next, cancellationToken);
        }
    }
}
