using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Fleet;

/// <summary>One service the drain did not move, and why (its replicas on the node stay).</summary>
public sealed record NodeDrainSkip(string Service, string Reason);

/// <summary>What a drain started: a deployment per service that ran on the node, and the services it could not move.</summary>
public sealed record NodeDrain(string Node, IReadOnlyList<Deployment> Started, IReadOnlyList<NodeDrainSkip> Skipped);

/// <summary>
/// Cordoning (no new replicas; what runs stays), lifting it, and draining: cordon, then for each service with a replica
/// on the node a deployment of its current release that places nothing there and retires the node's replicas through
/// the usual rotate-out and drain once the other nodes run theirs. Admin only; each audited.
/// </summary>
public sealed class NodeCordoning(INodeDirectory directory, INodeCordonStore cordons, FleetService fleet, IContainerEngine engine, IServiceStore services,
    IReleaseStore releases, DeploymentStarter starter, IAuditLog audit, ICurrentActor actor, TimeProvider time)
{
    public async Task<NodeDefinition> CordonAsync(string name, string? reason, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        var node = directory.Find(name) ?? throw new NodeNotFoundException(name);
        var cordon = new NodeCordon(node.Name, who.Name, time.GetUtcNow(), Clean(reason));
        await cordons.CordonAsync(cordon, Audit(who, "node.cordon", node.Name, cordon.Reason ?? "no reason given"), cancellationToken);
        return directory.Find(name) ?? node;
    }

    public async Task<NodeDefinition> UncordonAsync(string name, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        var node = directory.Find(name);
        // A cordon may outlive its node (it left Consul's catalog): lifting it is still allowed.
        if (node is null && cordons.Find(name) is null) throw new NodeNotFoundException(name);
        if (!await cordons.UncordonAsync(name, Audit(who, "node.uncordon", name, null), cancellationToken))
            throw new InvalidRequestException("node", $"Node '{name}' is not cordoned; nothing to lift.");
        return directory.Find(name) ?? node ?? throw new NodeNotFoundException(name);
    }

    /// <summary>Reads the node first (nothing is cordoned when it does not answer), cordons it, then starts one deployment per service on it.</summary>
    public async Task<NodeDrain> DrainAsync(string name, string? reason, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        var why = Clean(reason);
        var node = fleet.RequireNode(name);
        var onNode = (await fleet.WithNodeTimeout(node, ct => engine.ListContainersAsync(node, ct), cancellationToken))
            .Select(c => c.Labels.GetValueOrDefault(ReplicaLabels.Service)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (cordons.Find(name) is null)
            await cordons.CordonAsync(new NodeCordon(name, who.Name, time.GetUtcNow(), why ?? "drained"), Audit(who, "node.cordon", name, $"for a drain: {why ?? "no reason given"}"), cancellationToken);
        node = directory.Find(name) ?? node;

        var started = new List<Deployment>();
        var skipped = new List<NodeDrainSkip>();
        foreach (var service in onNode)
        {
            try
            {
                started.Add(await MoveAsync(service, node, who, why, cancellationToken));
            }
            catch (ControlPanelException ex)
            {
                skipped.Add(new NodeDrainSkip(service, ex.Message));
            }
        }
        var detail = onNode.Count == 0 ? "no replica of a panel service ran there"
            : string.Join("; ", started.Select(d => $"{d.Service}: deployment {d.Id}").Concat(skipped.Select(s => $"{s.Service} not moved: {s.Reason}")));
        await audit.RecordAsync(Audit(who, "node.drain", name, detail), cancellationToken);
        return new NodeDrain(name, started, skipped);
    }

    private async Task<Deployment> MoveAsync(string service, NodeDefinition node, Actor who, string? why, CancellationToken cancellationToken)
    {
        if (await services.FindAsync(service, null, cancellationToken) is null)
            throw new InvalidRequestException("service", $"service '{service}' is not defined any more; its replicas on '{node.Name}' stay until removed by hand.");
        var current = await releases.CurrentReleaseAsync(service, cancellationToken)
            ?? throw new InvalidRequestException("service", $"service '{service}' has no successful deployment to repeat elsewhere.");
        var release = await releases.FindReleaseAsync(service, current, cancellationToken)
            ?? throw new InvalidRequestException("service", $"release {current} of '{service}' is no longer stored.");
        return await starter.StartAsync(release, who.Name, who.ClientAddress, $"Drain of node '{node.Name}'" + (why is null ? "" : $": {why}"), cancellationToken,
            DeploymentKind.Drain, leaving: node);
    }

    private static string? Clean(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return null;
        var trimmed = reason.Trim();
        if (trimmed.Length > NodeCordon.MaxReasonLength)
            throw new InvalidRequestException("reason", $"must be at most {NodeCordon.MaxReasonLength} characters; got {trimmed.Length}.");
        return trimmed;
    }

    private AuditEntry Audit(Actor who, string action, string node, string? detail) => new()
    {
        At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = action, Node = node, Target = node, Detail = detail, Succeeded = true, Duration = TimeSpan.Zero,
    };
}
