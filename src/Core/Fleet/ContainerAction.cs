namespace ControlPanel.Core.Fleet;

public enum ContainerAction
{
    Start,
    Stop,
    Restart,
    Kill,
    Remove,
}

/// <summary>What a user asked for; fields that do not apply to the action are ignored.</summary>
/// <param name="TimeoutSeconds">Stop/restart: seconds before SIGKILL; null uses the container's own stop timeout.</param>
/// <param name="Signal">Kill: the signal to send (default SIGKILL).</param>
/// <param name="Force">Remove: also remove a running container.</param>
public sealed record ContainerActionRequest(ContainerAction Action, int? TimeoutSeconds = null, string? Signal = null, bool Force = false);

/// <summary>The outcome shown to the user and returned by the API.</summary>
/// <param name="Killed">A stop or restart whose stop ran out its timeout and ended in SIGKILL, with its likely cause; null otherwise.</param>
public sealed record ContainerActionResult(string Node, string ContainerId, ContainerAction Action, TimeSpan Duration, ContainerSummary? StateAfter, StopDiagnosis? Killed = null);
