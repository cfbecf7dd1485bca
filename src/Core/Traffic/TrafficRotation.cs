using System.Collections.Concurrent;
using System.Globalization;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Traffic;

/// <summary>
/// Puts replicas into and takes them out of every rotation that carries their service. A rotation always lists the
/// service's replicas that run, are not unhealthy and are not held out; a replica is held out from its creation until
/// it is put in (healthy and monitored), and again from when it is taken out until it is removed. So whatever
/// re-renders a rotation (a rollout, a replica dying) cannot send traffic to a replica that is not ready or is leaving.
/// </summary>
public sealed class TrafficRotation(IEnumerable<IRotation> rotations, IContainerEngine engine, INodeDirectory nodes, DeploymentOptions limits)
{
    private readonly IReadOnlyList<IRotation> _rotations = rotations.ToList();
    private readonly ConcurrentDictionary<string, byte> _heldOut = new(StringComparer.Ordinal);
    // What each service's rotations were last told (release and members), so an event that changes nothing is skipped.
    private readonly ConcurrentDictionary<string, string> _applied = new(StringComparer.Ordinal);
    // One change at a time: two renders racing could leave the older one in the proxy.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Whether any rotation sends traffic to a service running under <paramref name="spec"/>.</summary>
    public bool Routes(RuntimeSpec spec) => _rotations.Any(r => r.Carries(spec));

    /// <summary>Keeps a replica out of every rotation until <see cref="PutInAsync"/>: call it before the replica starts.</summary>
    public void HoldOut(string containerId) => _heldOut[containerId] = 0;

    /// <summary>The replica is gone: nothing needs to remember it.</summary>
    public void Forget(string containerId) => _heldOut.TryRemove(containerId, out _);

    public async Task PutInAsync(Release release, string containerId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _heldOut.TryRemove(containerId, out _);
            await ApplyHoldingGateAsync(release, onlyIfChanged: false, cancellationToken);
        }
        catch
        {
            // Refused (or cancelled): it stays out, or the next re-render (a fleet event) would put it in after all.
            HoldOut(containerId);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task TakeOutAsync(Release release, string containerId, CancellationToken cancellationToken)
    {
        HoldOut(containerId);
        await ApplyAsync(release, cancellationToken);
    }

    /// <summary>
    /// Brings every rotation of the service in line with its replicas now. <paramref name="onlyIfChanged"/>: skip it
    /// when the members are those last applied (a fleet event that changed nothing must not reload every router).
    /// </summary>
    public async Task ApplyAsync(Release release, CancellationToken cancellationToken, bool onlyIfChanged = false)
    {
        if (!Routes(release.Spec)) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ApplyHoldingGateAsync(release, onlyIfChanged, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ApplyHoldingGateAsync(Release release, bool onlyIfChanged, CancellationToken cancellationToken)
    {
        var carrying = _rotations.Where(r => r.Carries(release.Spec)).ToList();
        if (carrying.Count == 0) return;
        var members = await MembersAsync(release, cancellationToken);
        var applied = $"{release.Number}:{string.Join(',', members.Select(m => $"{m.ContainerId}@{m.Host}:{m.Port}"))}";
        if (onlyIfChanged && _applied.TryGetValue(release.Service, out var last) && last == applied) return;
        _applied.TryRemove(release.Service, out _); // unknown until every rotation took it
        foreach (var rotation in carrying) await rotation.SetMembersAsync(release, members, cancellationToken);
        _applied[release.Service] = applied;
    }

    /// <summary>
    /// Brings one rotation in line with the service's replicas, under the same gate as every other change, so a
    /// periodic reconcile can never put back a replica a rollout has just taken out.
    /// </summary>
    public async Task ReconcileAsync(IRotation rotation, Release release, CancellationToken cancellationToken)
    {
        if (!rotation.Carries(release.Spec)) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await rotation.SetMembersAsync(release, await MembersAsync(release, cancellationToken), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After <see cref="PutInAsync"/>: waits until every rotation that gates on it reports the replica ready.</summary>
    public async Task WaitServingAsync(Release release, string containerId, CancellationToken cancellationToken)
    {
        var carrying = _rotations.Where(r => r.Carries(release.Spec)).ToList();
        if (carrying.Count == 0) return;
        var member = (await MembersAsync(release, cancellationToken)).FirstOrDefault(m => m.ContainerId == containerId)
            ?? throw new RotationFailedException($"Replica {containerId[..Math.Min(12, containerId.Length)]} no longer runs healthy, so no rotation can report it ready.");
        foreach (var rotation in carrying) await rotation.WaitServingAsync(release, member, cancellationToken);
    }

    /// <summary>Readies a router replica that just started with the members of each of <paramref name="routed"/> (the services routed through it).</summary>
    public async Task PrepareRouterAsync(NodeDefinition node, string containerId, IReadOnlyList<Release> routed, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var routes = new List<RoutedMembers>();
            foreach (var release in routed) routes.Add(new RoutedMembers(release, await MembersAsync(release, cancellationToken)));
            foreach (var rotation in _rotations) await rotation.PrepareRouterAsync(node, containerId, routes, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The service's replicas, on every node, that may be sent traffic. A node that cannot be read fails the change:
    /// dropping its replicas from the proxy because its engine was slow to answer would be worse than waiting. A node
    /// Consul reports critical or departed is not read: its replicas get no traffic.
    /// </summary>
    public async Task<IReadOnlyList<RotationMember>> MembersAsync(Release release, CancellationToken cancellationToken)
    {
        var portLabel = ReplicaLabels.PortPrefix + release.Spec.Route?.PortName;
        IReadOnlyList<(NodeDefinition Node, IReadOnlyList<ContainerSummary> Replicas)> listed;
        try
        {
            // A node Consul reports critical or gone sends no traffic, and its engine may never answer again.
            listed = await ServiceReplicaListing.ListAsync(engine, nodes.GetNodes().Where(n => n.IsUsable && n.Availability is not (NodeAvailability.Critical or NodeAvailability.Left)),
                release.Service, limits.EngineCallTimeout, cancellationToken);
        }
        catch (NodeUnreadableException ex)
        {
            throw new RotationFailedException($"The replicas of '{release.Service}' on node '{ex.Node}' could not be read ({ex.Why}); the rotation was left as it was.", ex);
        }
        var perNode = listed.Select(n => n.Replicas
            .Where(c => c.State == ContainerState.Running && (c.Health is ContainerHealth.None or ContainerHealth.Healthy) && !_heldOut.ContainsKey(c.Id))
            .Select(c => new RotationMember(n.Node.Name, n.Node.ReplicaHost, PortOf(c.Labels, portLabel), c.Id) { Ports = PortsOf(c.Labels), Labels = c.Labels }));
        return perNode.SelectMany(m => m).OrderBy(m => m.Node, StringComparer.Ordinal).ThenBy(m => m.Port).ThenBy(m => m.ContainerId, StringComparer.Ordinal).ToList();
    }

    private static int PortOf(IReadOnlyDictionary<string, string> labels, string label) =>
        labels.TryGetValue(label, out var p) && int.TryParse(p, CultureInfo.InvariantCulture, out var port) ? port : 0;

    private static Dictionary<string, int> PortsOf(IReadOnlyDictionary<string, string> labels) =>
        labels.Where(l => l.Key.StartsWith(ReplicaLabels.PortPrefix, StringComparison.Ordinal))
            .Select(l => (Name: l.Key[ReplicaLabels.PortPrefix.Length..], Port: int.TryParse(l.Value, CultureInfo.InvariantCulture, out var port) ? port : 0))
            .Where(p => p.Port > 0).ToDictionary(p => p.Name, p => p.Port, StringComparer.Ordinal);
}
