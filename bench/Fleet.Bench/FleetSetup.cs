using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>Creates the fleet scenario: N running containers on each lab node, removed afterwards.</summary>
public static class FleetSetup
{
    public static async Task CreateAsync(LabContainers lab, IReadOnlyList<NodeDefinition> nodes, int perNode)
    {
        var work = nodes.SelectMany(n => Enumerable.Range(0, perNode).Select(i => (Node: n, Index: i)));
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (w, _) =>
            await lab.RunAsync(w.Node, "sigquit", $"fleet-{w.Index:D3}", stopSignal: "SIGQUIT",
                labels: new Dictionary<string, string> { ["service"] = $"svc-{w.Index % 20}" }));
    }
}
