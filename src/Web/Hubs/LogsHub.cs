using System.Runtime.CompilerServices;
using ControlPanel.Core.Logs;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ControlPanel.Web.Hubs;

/// <summary>
/// Live container logs for any client (CLI, other tools; the Blazor pages use the same followers).
/// Streams <see cref="LogBatch"/>es; the client ends a stream by cancelling it.
/// </summary>
[Authorize(Policy = Policies.ReadLogs)]
public sealed class LogsHub(LogFollowers followers, LogViewerQuota quota, UserValidity validity) : Hub
{
    public const string Path = "/hubs/logs";
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>One container: first up to <paramref name="tail"/> recent lines, then live batches.</summary>
    public IAsyncEnumerable<LogBatch> Follow(string node, string container, int tail, CancellationToken cancellationToken) =>
        FollowMany([$"{node}/{container}"], tail, cancellationToken);

    /// <summary>Several containers ("node/container" each) merged: each batch is ordered by timestamp.</summary>
    public async IAsyncEnumerable<LogBatch> FollowMany(string[] sources, int tail, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reservation = Reserve(sources, out var distinct);
        var subscriptions = await SubscribeAllAsync(distinct, tail, cancellationToken);
        try
        {
            await foreach (var batch in LogMerge.MergeAsync(subscriptions, BatchWindow, cancellationToken))
            {
                // Revocation reaches open streams: a disabled user or a revoked token is cut at the next check.
                if (!await validity.IsStillValidAsync(Context.User, cancellationToken))
                {
                    yield return LogBatch.Notice(UserValidity.SignedOut, ended: true);
                    yield break;
                }
                yield return batch;
            }
        }
        finally
        {
            foreach (var s in subscriptions) s.Dispose();
        }
    }

    /// <summary>Each distinct source once, within the view's and the user's bounds; released when the stream ends or the caller leaves.</summary>
    private IDisposable Reserve(string[]? sources, out IReadOnlyList<string> distinct)
    {
        try
        {
            distinct = LogViewerQuota.Distinct(sources ?? [], "sources");
            return quota.Acquire(Context.User?.Identity?.Name ?? Context.ConnectionId, distinct.Count);
        }
        catch (Core.Common.ControlPanelException known)
        {
            throw new HubException(known.Message);
        }
    }

    // Only a HubException's message reaches the client; the panel's own errors are safe to show.
    private async Task<List<LogSubscription>> SubscribeAllAsync(IReadOnlyList<string> sources, int tail, CancellationToken cancellationToken)
    {
        var subscriptions = new List<LogSubscription>();
        try
        {
            foreach (var source in sources)
            {
                var container = Core.Fleet.ContainerRef.Parse(source, "sources");
                subscriptions.Add(await followers.SubscribeAsync(container.Node, container.Container, Math.Clamp(tail, 0, 1000), cancellationToken));
            }
            return subscriptions;
        }
        catch (Exception ex)
        {
            // Also when the client went away mid-way: a subscription left open keeps its engine stream open.
            foreach (var s in subscriptions) s.Dispose();
            if (ex is Core.Common.ControlPanelException known) throw new HubException(known.Message);
            throw;
        }
    }
}
