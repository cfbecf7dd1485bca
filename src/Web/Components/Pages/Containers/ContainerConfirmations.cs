using ControlPanel.Core.Fleet;

namespace ControlPanel.Web.Components.Pages.Containers;

/// <summary>The question a container action asks before it runs, and the word on its button.</summary>
public sealed record ContainerConfirmation(string Title, string Message, string Yes);

/// <summary>Stop, Kill and Remove ask first: each takes a service down or loses state. Start and Restart do not ask.</summary>
public static class ContainerConfirmations
{
    public static ContainerConfirmation? For(ContainerAction action, string name, string node) => action switch
    {
        ContainerAction.Stop => new("Stop container", $"Stop {name} on {node}? It gets its stop signal, then SIGKILL when its timeout passes. It stays stopped until someone starts it.", "Stop container"),
        ContainerAction.Kill => new("Kill container", $"Kill {name} on {node}? The signal is sent at once: requests in flight are lost.", "Kill container"),
        ContainerAction.Remove => new("Remove container", $"Remove {name} on {node}? A running container is stopped first. This cannot be undone.", "Remove"),
        _ => null,
    };
}
