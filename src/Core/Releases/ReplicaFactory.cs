using System.Globalization;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>
/// Turns a release into containers for one deployment: names, labels, environment (secrets decrypted only
/// here), and ports — a fixed one, or the lowest one of the range that no replica of the service holds on any
/// of its nodes (so nodes sharing a host, as the lab's do, never clash), recorded in a label.
/// </summary>
public sealed class ReplicaFactory(ISecretProtector secrets)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<int>> _used = []; // port name → ports held on any node
    private readonly Dictionary<(string Node, string Id), List<(string Name, int Port)>> _byContainer = [];

    /// <summary>Ports already held by the service's containers, read from their labels.</summary>
    public void ReservePorts(IReadOnlyDictionary<string, IReadOnlyList<ContainerSummary>> running)
    {
        lock (_gate)
            foreach (var (node, list) in running)
                foreach (var c in list)
                    foreach (var (key, value) in c.Labels.Where(l => l.Key.StartsWith(ReplicaLabels.PortPrefix, StringComparison.Ordinal)))
                        if (int.TryParse(value, CultureInfo.InvariantCulture, out var port)) Hold(node, c.Id, key[ReplicaLabels.PortPrefix.Length..], port);
    }

    public ReplicaContainer Create(Deployment deployment, Release release, NodeDefinition node, int slot)
    {
        var spec = release.Spec;
        var labels = new Dictionary<string, string>(spec.Labels)
        {
            [ReplicaLabels.Service] = release.Service,
            [ReplicaLabels.Release] = release.Number.ToString(CultureInfo.InvariantCulture),
            [ReplicaLabels.Deployment] = deployment.Id.ToString(),
            [ReplicaLabels.Slot] = slot.ToString(CultureInfo.InvariantCulture),
            [ReplicaLabels.StopTimeout] = spec.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (spec.Environment.Where(e => e.Secret).Select(e => e.Name).ToList() is { Count: > 0 } secretNames)
            labels[ReplicaLabels.SecretEnvironment] = string.Join(',', secretNames);
        var name = ReplicaName(release.Service, slot, release.Number);
        var environment = Environment(release);
        lock (_gate)
        {
            foreach (var port in spec.Ports)
            {
                var chosen = port.Fixed ?? Enumerable.Range(port.RangeStart!.Value, port.RangeEnd!.Value - port.RangeStart.Value + 1).FirstOrDefault(p => !InUse(port.Name, p));
                if (chosen == 0)
                {
                    ReleasePortsLocked(node.Name, name); // the ports chosen for this replica's earlier port names
                    throw new InvalidRequestException("runtime.ports", $"no free port left in {port.RangeStart}–{port.RangeEnd} for '{release.Service}'.");
                }
                Hold(node.Name, name, port.Name, chosen);
                labels[ReplicaLabels.PortPrefix + port.Name] = chosen.ToString(CultureInfo.InvariantCulture);
                environment.Add($"{port.Name}={chosen}");
            }
        }
        return new ReplicaContainer(name, release.ImageReference, environment, spec.Command, labels, spec.StopSignal, spec.StopTimeoutSeconds,
            spec.MemoryMb * 1024 * 1024, spec.Cpus, spec.RestartPolicy, spec.Volumes, IgnoreImageHealthcheck: spec.Health == HealthKind.None, Init: spec.Init);
    }

    /// <summary>
    /// The release's environment with its secret values decrypted. Throws <see cref="InvalidRequestException"/> when the
    /// panel can no longer read one, so a rollout asks this before it touches any replica.
    /// </summary>
    public List<string> Environment(Release release) =>
        release.Spec.Environment.Select(e => $"{e.Name}={(e.Secret ? secrets.Unprotect(e.Value) : e.Value)}").ToList();

    /// <summary>Frees the ports of a removed container; the key is the id or, for containers this deployment made, the name.</summary>
    public void ReleasePorts(NodeDefinition node, string key)
    {
        lock (_gate) ReleasePortsLocked(node.Name, key);
    }

    private void ReleasePortsLocked(string node, string key)
    {
        if (!_byContainer.Remove((node, key), out var held)) return;
        foreach (var (name, port) in held) _used[name].Remove(port);
    }

    /// <summary>A container this deployment created is known by name until created; afterwards by id too.</summary>
    /// <summary>
    /// service-slot-rRELEASE-unique, at most 63 characters (a DNS label, as engines and tools expect): a long service
    /// name is shortened, never the unique part, which keeps a start-first replica's name apart from the one it replaces.
    /// </summary>
    public static string ReplicaName(string service, int slot, int release)
    {
        var suffix = $"-{slot}-r{release}-{Guid.NewGuid():N}"[..Math.Min(63, $"-{slot}-r{release}-".Length + 12)];
        return service[..Math.Min(service.Length, 63 - suffix.Length)] + suffix;
    }

    public void Created(NodeDefinition node, ReplicaContainer replica, string id)
    {
        lock (_gate)
            if (_byContainer.Remove((node.Name, replica.Name), out var held)) _byContainer[(node.Name, id)] = held;
    }

    private bool InUse(string name, int port) => _used.TryGetValue(name, out var ports) && ports.Contains(port);

    private void Hold(string node, string key, string name, int port)
    {
        if (!_used.TryGetValue(name, out var ports)) _used[name] = ports = [];
        ports.Add(port);
        if (!_byContainer.TryGetValue((node, key), out var held)) _byContainer[(node, key)] = held = [];
        held.Add((name, port));
    }
}
