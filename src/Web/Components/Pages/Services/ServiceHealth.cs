using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>
/// A service at a glance for the services list: healthy replicas out of those wanted, the release it runs, and how
/// many replicas drift from it (another release, not running, missing, or one too many).
/// </summary>
public sealed record ServiceHealth(int Healthy, int Wanted, int Unhealthy, int Drifting, int? Release)
{
    public bool IsWell => Unhealthy == 0 && Drifting == 0 && Healthy >= Wanted;

    /// <summary>From the replica table's rows; a running replica without a health check counts as healthy.</summary>
    public static ServiceHealth Of(IReadOnlyList<ReplicaRow> rows, RuntimeSpec? runtime, int? currentRelease, IReadOnlyList<NodeDefinition> nodes)
    {
        var wanted = runtime is { } spec && currentRelease is not null ? spec.ReplicasPerNode * PlacedOn(spec, nodes) : 0;
        var healthy = rows.Count(r => r.Drift is null && r.Container is { State: ContainerState.Running, Health: ContainerHealth.Healthy or ContainerHealth.None });
        var unhealthy = rows.Count(r => r.Container is { } c && (c.Health == ContainerHealth.Unhealthy || c.State is ContainerState.Restarting));
        return new ServiceHealth(healthy, wanted, unhealthy, rows.Count(r => r.Drift is not null), currentRelease);
    }

    /// <summary>How many nodes a deployment would place it on now (names, labels, availability), as the rollout counts them.</summary>
    private static int PlacedOn(RuntimeSpec spec, IReadOnlyList<NodeDefinition> nodes)
    {
        try
        {
            return RuntimeValidation.Place(spec, nodes).Count;
        }
        catch (InvalidRequestException)
        {
            return 0; // it names a node the panel no longer knows: nothing can be placed until it is fixed
        }
    }
}
