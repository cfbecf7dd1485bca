using ControlPanel.Core.Builds;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ControlPanel.Web.Hubs;

/// <summary>
/// Live build progress for any client: everything so far, then batches (log lines, phases, steps, push
/// progress per layer) at most every 100 ms, ending with the finished build. The Blazor build page reads the same updates.
/// </summary>
[Authorize(Policy = Policies.ViewFleet)]
public sealed class BuildsHub(BuildUpdates updates, UserValidity validity) : Hub
{
    public const string Path = "/hubs/builds";
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);

    public IAsyncEnumerable<BuildUpdate> Follow(Guid id, CancellationToken cancellationToken) =>
        HubStreams.ForCallerAsync(updates.FollowAsync(id, BatchWindow, cancellationToken), Context.User, validity, cancellationToken);
}
