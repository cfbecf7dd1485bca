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

    public async IAsyncEnumerable<BuildUpdate> Follow(Guid id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = updates.FollowAsync(id, BatchWindow, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await stream.MoveNextAsync()) yield break;
                }
                catch (Core.Common.ControlPanelException ex)
                {
                    // Only a HubException's message reaches the client; the panel's own errors are safe to show.
                    throw new HubException(ex.Message);
                }
                // Revocation reaches open streams: a disabled user or a revoked token is cut at the next check.
                if (!await validity.IsStillValidAsync(Context.User, cancellationToken)) throw new HubException(UserValidity.SignedOut);
                yield return stream.Current;
            }
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }
}
