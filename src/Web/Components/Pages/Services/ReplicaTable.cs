using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>One row of a service's replica table; <see cref="Drift"/> says how it differs from what was deployed.</summary>
public sealed record ReplicaRow(string Node, int? Slot, ContainerSummary? Container, string? Drift);

/// <summary>
/// What runs where for one service, read from the <see cref="FleetState"/> the fleet watcher keeps current; only
/// nodes the watcher has not listed yet (it is starting, or never reached them) are asked directly, once.
/// </summary>
public sealed class ReplicaTable(FleetService fleet, FleetState state)
{
    /// <summary>The rows, and a note per node whose part may be incomplete.</summary>
    public async Task<(List<ReplicaRow> Rows, List<string> Notes)> LoadAsync(string service, int? currentRelease, RuntimeSpec? runtime, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var containers = new List<ContainerSummary>();
        var unlisted = new List<NodeDefinition>();
        foreach (var node in fleet.Nodes)
        {
            if (state.Find(node.Name) is not { } snapshot)
            {
                unlisted.Add(node);
                continue;
            }
            containers.AddRange(snapshot.Containers.Values.Where(c => IsOf(c, service)));
            if (snapshot.StaleBecause is { } why) notes.Add($"{node.Name}: live updates interrupted ({why}); showing the last known state.");
        }
        foreach (var answer in await Task.WhenAll(unlisted.Select(n => fleet.ListNodeContainersAsync(n, cancellationToken))))
        {
            containers.AddRange(answer.Containers.Where(c => IsOf(c, service)));
            if (answer.Error is { } error) notes.Add($"{answer.Node.Name}: {error}");
        }
        return (Rows(containers, currentRelease, runtime), notes);
    }

    /// <summary>The rows from the fleet state alone (no engine call): nodes the watcher has not listed are left out.</summary>
    public List<ReplicaRow> FromState(string service, int? currentRelease, RuntimeSpec? runtime) =>
        Rows(fleet.Nodes.SelectMany(n => state.Find(n.Name)?.Containers.Values.Where(c => IsOf(c, service)) ?? []).ToList(), currentRelease, runtime);

    public static bool IsOf(ContainerSummary container, string service) => container.Labels.GetValueOrDefault(ReplicaLabels.Service) == service;

    private List<ReplicaRow> Rows(List<ContainerSummary> containers, int? currentRelease, RuntimeSpec? runtime)
    {
        var rows = containers.Select(c =>
        {
            var slot = int.TryParse(c.Labels.GetValueOrDefault(ReplicaLabels.Slot), out var s) ? s : (int?)null;
            var release = c.Labels.GetValueOrDefault(ReplicaLabels.Release);
            var drift = c.State != ContainerState.Running ? "not running"
                : currentRelease is { } current && release != current.ToString() ? $"not release {current}"
                : runtime is { } r && slot >= r.ReplicasPerNode ? "extra replica" : null;
            return new ReplicaRow(c.Node, slot, c, drift);
        }).ToList();
        if (runtime is { } spec && currentRelease is not null)
        {
            var nodes = spec.Nodes.Count > 0 ? spec.Nodes : fleet.Nodes.Select(n => n.Name).ToList();
            foreach (var node in nodes)
                for (var slot = 0; slot < spec.ReplicasPerNode; slot++)
                    if (!rows.Any(r => r.Node == node && r.Slot == slot)) rows.Add(new ReplicaRow(node, slot, null, "missing replica"));
        }
        return rows.OrderBy(r => r.Node, StringComparer.Ordinal).ThenBy(r => r.Slot).ToList();
    }
}
