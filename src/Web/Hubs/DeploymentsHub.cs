using ControlPanel.Core.Releases;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ControlPanel.Web.Hubs;

/// <summary>
/// Live deployment progress for any client (CLI, chat bots): the deployment with every step so far, then again
/// whenever a step or the status changes, ending with the finished deployment. The Blazor deployment page reads the same updates.
/// </summary>
[Authorize(Policy = Policies.ViewFleet)]
public sealed class DeploymentsHub(DeploymentUpdates updates, UserValidity validity) : Hub
{
    public const string Path = "/hubs/deployments";

    public IAsyncEnumerable<Deployment> Follow(Guid id, CancellationToken cancellationToken) =>
        HubStreams.ForCallerAsync(updates.FollowAsync(id, cancellationToken), Context.User, validity, cancellationToken);
}
