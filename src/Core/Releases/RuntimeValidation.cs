using System.Text.RegularExpressions;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>Checks a runtime spec against the nodes before anything starts; each error names the field and the reason.</summary>
public static partial class RuntimeValidation
{
    public const int MaxStopTimeoutSeconds = 3600;
    private static readonly string[] RestartPolicies = ["no", "on-failure", "unless-stopped", "always"];

    /// <summary>Returns the spec with its stop signal normalised, and the nodes it places replicas on.</summary>
    public static (RuntimeSpec Spec, IReadOnlyList<NodeDefinition> Nodes) Validate(RuntimeSpec spec, IReadOnlyList<NodeDefinition> nodes, HostMountOptions mounts)
    {
        RequirePresent(spec);
        RuntimeLimits.Check(spec);
        if (spec.ReplicasPerNode is < 0 or > 50) Fail("runtime.replicasPerNode", $"must be between 0 and 50; got {spec.ReplicasPerNode}.");
        var placed = Place(spec, nodes);
        foreach (var e in spec.Environment)
            if (!EnvName().IsMatch(e.Name)) Fail("runtime.environment", $"'{e.Name}' is not a valid variable name.");
        foreach (var p in spec.Ports) ValidatePort(spec, p, placed.Count);
        var engineSockets = nodes.Where(n => n.Endpoint.StartsWith("unix://", StringComparison.Ordinal)).Select(n => n.Endpoint["unix://".Length..]).ToList();
        foreach (var v in spec.Volumes) VolumeRules.Check(v, mounts, engineSockets);
        HealthProbeValidation.Validate(spec);
        Traffic.RouteRules.Check(spec);
        Discovery.DiscoveryRules.Check(spec);
        var signal = StopSignals.NormalizeSignal(spec.StopSignal, "runtime.stopSignal");
        if (spec.StopTimeoutSeconds is < 0 or > MaxStopTimeoutSeconds) Fail("runtime.stopTimeoutSeconds", $"must be between 0 and {MaxStopTimeoutSeconds}; got {spec.StopTimeoutSeconds}.");
        if (spec.MemoryMb is < 6) Fail("runtime.memoryMb", $"must be at least 6 (MB); got {spec.MemoryMb}.");
        if (spec.Cpus is <= 0 or > 256) Fail("runtime.cpus", $"must be more than 0; got {spec.Cpus}.");
        if (!RestartPolicies.Contains(spec.RestartPolicy)) Fail("runtime.restartPolicy", $"must be one of {string.Join(", ", RestartPolicies)}; got '{spec.RestartPolicy}'.");
        if (spec.DrainDelaySeconds is < 0 or > 3600) Fail("runtime.drainDelaySeconds", $"must be between 0 and 3600; got {spec.DrainDelaySeconds}.");
        var u = spec.Update;
        if (u.Parallelism < 1) Fail("runtime.update.parallelism", $"must be at least 1; got {u.Parallelism}.");
        if (u.DelaySeconds < 0 || u.MonitorSeconds < 0) Fail("runtime.update", "delay and monitor period cannot be negative.");
        if (u.MaxUnavailable < 0) Fail("runtime.update.maxUnavailable", $"cannot be negative; got {u.MaxUnavailable}.");
        if (u.ProgressDeadlineSeconds < 1) Fail("runtime.update.progressDeadlineSeconds", $"must be at least 1; got {u.ProgressDeadlineSeconds}.");
        if (spec.EffectiveOrder == UpdateOrder.StopFirst && u.MaxUnavailable == 0)
            Fail("runtime.update.maxUnavailable", "stop-first takes replicas down to replace them, so maxUnavailable 0 would let none be replaced; leave it out (the parallelism) or set at least 1.");
        return (spec with { StopSignal = signal }, placed);
    }

    /// <summary>
    /// The nodes the spec places replicas on, in the directory's order: those it matches that take new replicas (a
    /// cordoned, critical or departed node is left as it is, and its replicas with it).
    /// </summary>
    public static IReadOnlyList<NodeDefinition> Place(RuntimeSpec spec, IReadOnlyList<NodeDefinition> nodes)
    {
        foreach (var name in spec.Nodes)
            if (nodes.All(n => n.Name != name)) Fail("runtime.nodes", $"node '{name}' is not known to the panel.");
        var matched = Matching(spec, nodes);
        if (matched.Count == 0) Fail("runtime.nodes", "the placement matches no node.");
        var placed = matched.Where(n => n.Availability == NodeAvailability.Active).ToList();
        if (placed.Count == 0)
            Fail("runtime.nodes", $"every node the placement matches takes no new replicas: {string.Join("; ", matched.Select(n => $"'{n.Name}' is {n.Availability.ToString().ToLowerInvariant()}"))}.");
        return placed;
    }

    /// <summary>The nodes the spec's placement names or selects, whatever their availability.</summary>
    public static IReadOnlyList<NodeDefinition> Matching(RuntimeSpec spec, IReadOnlyList<NodeDefinition> nodes) =>
        nodes.Where(n => (spec.Nodes.Count == 0 || spec.Nodes.Contains(n.Name))
            && spec.NodeLabels.All(l => n.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();

    private static void ValidatePort(RuntimeSpec spec, PortSpec p, int nodes)
    {
        if (!EnvName().IsMatch(p.Name)) Fail("runtime.ports", $"'{p.Name}' is not a valid variable name to pass the port in.");
        if (p.Fixed is { } f)
        {
            if (f is < 1 or > 65535) Fail("runtime.ports", $"port {f} is out of range (1–65535).");
            if (spec.ReplicasPerNode > 1) Fail("runtime.ports", $"fixed port {f} cannot serve {spec.ReplicasPerNode} replicas on one node; use a range.");
            if (spec.Update.Order == UpdateOrder.StartFirst) Fail("runtime.update.order", $"start-first would run two replicas on fixed port {f} at once; use stop-first.");
        }
        else if (p is { RangeStart: { } a, RangeEnd: { } b })
        {
            if (a is < 1 or > 65535 || b is < 1 or > 65535 || a > b) Fail("runtime.ports", $"range {a}–{b} is out of range or backwards.");
            // A port is used once across the service's nodes; start-first runs an old and a new replica side by side.
            var needed = nodes * spec.ReplicasPerNode * (spec.EffectiveOrder == UpdateOrder.StartFirst ? 2 : 1);
            if (b - a + 1 < needed) Fail("runtime.ports", $"range {a}–{b} has fewer than the {needed} ports this service needs ({nodes} nodes × {spec.ReplicasPerNode} replicas{(spec.EffectiveOrder == UpdateOrder.StartFirst ? " × 2 for start-first" : "")}).");
        }
        else Fail("runtime.ports", $"'{p.Name}' needs a fixed port or a range.");
    }

    /// <summary>
    /// JSON may say null where the model has none (System.Text.Json does not enforce nullable annotations): name the
    /// field here rather than fail on it later with an error that names nothing.
    /// </summary>
    private static void RequirePresent(RuntimeSpec spec)
    {
        static void Present(object? value, string field)
        {
            if (value is null) Fail(field, "cannot be null.");
        }
        Present(spec.Nodes, "runtime.nodes");
        Present(spec.NodeLabels, "runtime.nodeLabels");
        Present(spec.Environment, "runtime.environment");
        Present(spec.Ports, "runtime.ports");
        Present(spec.Volumes, "runtime.volumes");
        Present(spec.Labels, "runtime.labels");
        Present(spec.StopSignal, "runtime.stopSignal");
        Present(spec.RestartPolicy, "runtime.restartPolicy");
        Present(spec.Update, "runtime.update");
        foreach (var node in spec.Nodes) Present(node, "runtime.nodes");
        foreach (var e in spec.Environment)
        {
            Present(e, "runtime.environment");
            Present(e.Name, "runtime.environment");
            Present(e.Value, "runtime.environment");
        }
        foreach (var p in spec.Ports) Present(p?.Name, "runtime.ports");
        foreach (var v in spec.Volumes) Present(v, "runtime.volumes");
        foreach (var part in spec.Command ?? []) Present(part, "runtime.command");
        foreach (var (key, value) in spec.Labels) Present(value, $"runtime.labels.{key}");
        foreach (var (key, value) in spec.NodeLabels) Present(value, $"runtime.nodeLabels.{key}");
        if (spec.HttpProbe is { } probe) Present(probe.Path, "runtime.httpProbe.path");
        if (spec.FastCgiProbe is { } fastCgi)
        {
            Present(fastCgi.Path, "runtime.fastCgiProbe.path");
            Present(fastCgi.Response, "runtime.fastCgiProbe.response");
        }
    }

    private static void Fail(string field, string reason) => throw new InvalidRequestException(field, $"'{field}' {reason}");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();
}
