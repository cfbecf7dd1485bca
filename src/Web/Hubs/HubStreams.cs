using System.Runtime.CompilerServices;
using System.Security.Claims;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.SignalR;

namespace ControlPanel.Web.Hubs;

/// <summary>What every streaming hub method does between a Core stream and its caller.</summary>
internal static class HubStreams
{
    /// <summary>
    /// Passes the panel's own errors on by their message (only a HubException's message reaches a client), and cuts
    /// the stream at the next item once the caller's user is disabled or their token revoked.
    /// </summary>
    public static async IAsyncEnumerable<T> ForCallerAsync<T>(IAsyncEnumerable<T> source, ClaimsPrincipal? user, UserValidity validity, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = source.GetAsyncEnumerator(cancellationToken);
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
                    throw new HubException(ex.Message);
                }
                if (!await validity.IsStillValidAsync(user, cancellationToken)) throw new HubException(UserValidity.SignedOut);
                yield return stream.Current;
            }
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }
}
