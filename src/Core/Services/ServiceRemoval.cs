using System.Diagnostics;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;

namespace ControlPanel.Core.Services;

/// <summary>A replica a removal stopped and removed, or one it could not (and why).</summary>
public sealed record RemovedReplica(string Node, string Container, string? Problem = null);

/// <summary>What deleting a service did: the revision marking it deleted, and each of its replicas.</summary>
public sealed record ServiceRemovalResult(string Service, int Revision, IReadOnlyList<RemovedReplica> Stopped, IReadOnlyList<RemovedReplica> Remaining);

/// <summary>
/// Deleting a service: it is marked deleted first (a new revision, so its history, releases and deployments stay
/// readable and nothing new can be released or deployed), then every replica is stopped the way a release stops an
/// old one (its own stop signal and timeout) and removed. A replica on a node that cannot be reached is listed as
/// remaining; deleting again stops what remains. Re-defining the name later continues its history.
/// </summary>
public sealed class ServiceRemoval(IServiceStore store, IReleaseStore releases, IReplicaEngine replicas, IContainerEngine containers, FleetService fleet,
    IAuditLog audit, ICurrentActor actor, ServiceChanges changes, TimeProvider time)
{
    public async Task<ServiceRemovalResult> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        var latest = (await store.RevisionsAsync(name, cancellationToken)).FirstOrDefault() ?? throw new ServiceNotFoundException(name);
        if (!latest.Deleted && (await releases.ListRunningDeploymentsAsync(cancellationToken)).FirstOrDefault(d => d.Service == name) is { } running)
            throw new DeploymentInProgressException(name, running.StartedBy, running.StartedAt, running.Id);

        var clock = Stopwatch.StartNew();
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = "service.delete", Target = name,
            Detail = latest.Deleted ? $"again: stopping what remains of revision {latest.Number}" : $"revision {latest.Number + 1} marks it deleted",
            Succeeded = false, Duration = TimeSpan.Zero,
        };
        // Recorded before anything changes: a deletion nobody could audit is not carried out.
        var auditId = await audit.BeginAsync(entry, cancellationToken);
        var marker = latest.Deleted ? latest : await store.MarkDeletedAsync(latest, who.Name, time.GetUtcNow(), cancellationToken);
        changes.Publish(new ServiceChange(name, ServiceChangeKind.Saved));
        // A misconfigured node is never contacted, so the panel never placed a replica there.
        var outcome = await Task.WhenAll(fleet.Nodes.Where(n => n.IsUsable).Select(n => StopOnNodeAsync(n, name, cancellationToken)));
        var all = outcome.SelectMany(o => o).ToList();
        var result = new ServiceRemovalResult(name, marker.Number, all.Where(r => r.Problem is null).ToList(), all.Where(r => r.Problem is not null).ToList());
        await audit.CompleteAsync(auditId, entry with
        {
            Succeeded = result.Remaining.Count == 0, Duration = clock.Elapsed,
            Error = result.Remaining.Count == 0 ? null : $"{result.Remaining.Count} replica(s) remain: {string.Join("; ", result.Remaining.Select(r => $"{r.Node}/{r.Container}: {r.Problem}"))}",
        }, CancellationToken.None);
        return result;
    }

    private async Task<IReadOnlyList<RemovedReplica>> StopOnNodeAsync(NodeDefinition node, string service, CancellationToken cancellationToken)
    {
        IReadOnlyList<ContainerSummary> found;
        try
        {
            found = await replicas.ListServiceAsync(node, service, cancellationToken);
        }
        catch (ControlPanelException ex)
        {
            return [new RemovedReplica(node.Name, "*", $"the node could not be asked ({ex.Message}); delete the service again when it is back")];
        }
        return await Task.WhenAll(found.Select(async c =>
        {
            try
            {
                // No timeout of our own: the engine waits the replica's configured stop timeout after its stop signal.
                if (c.State is ContainerState.Running or ContainerState.Paused or ContainerState.Restarting) await containers.StopAsync(node, c.Id, null, cancellationToken);
                await containers.RemoveAsync(node, c.Id, false, cancellationToken);
                return new RemovedReplica(node.Name, c.Name);
            }
            catch (ControlPanelException ex)
            {
                return new RemovedReplica(node.Name, c.Name, ex.Message);
            }
        }));
    }
}
