using ControlPanel.Core.Common;

namespace ControlPanel.Core.Fleet;

/// <summary>A stop that tells when it had to kill: for every stop the panel makes, so a hung stop is diagnosed where it happened.</summary>
public static class ContainerStops
{
    /// <summary>
    /// Stops the container (see <see cref="IContainerEngine.StopAsync"/>); when the stop ran out its timeout and the
    /// engine sent SIGKILL, says why it most likely did. Null when it stopped on its signal or was not running.
    /// </summary>
    public static async Task<StopDiagnosis?> StopAndDiagnoseAsync(this IContainerEngine engine, NodeDefinition node, string id, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!await engine.StopAsync(node, id, timeout, cancellationToken)) return null;
        try
        {
            return StopDiagnosis.Of(await engine.InspectContainerAsync(node, id, cancellationToken), timeout);
        }
        catch (ControlPanelException)
        {
            return null; // gone already (removed by someone else): the stop itself succeeded, only its diagnosis is lost
        }
    }
}
