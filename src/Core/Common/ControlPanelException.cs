namespace ControlPanel.Core.Common;

/// <summary>Base of the errors a user can act on; their messages are safe to show.</summary>
public abstract class ControlPanelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No node of that name is known.</summary>
public sealed class NodeNotFoundException(string node)
    : ControlPanelException($"Node '{node}' is not known to the panel.")
{
    public string Node { get; } = node;
}

/// <summary>The node has no such container.</summary>
public sealed class ContainerNotFoundException(string node, string container)
    : ControlPanelException($"Container '{container}' was not found on node '{node}'.")
{
    public string Node { get; } = node;
    public string Container { get; } = container;
}

/// <summary>A request field is invalid; names the field.</summary>
public sealed class InvalidRequestException(string field, string message)
    : ControlPanelException(message)
{
    public string Field { get; } = field;
}

/// <summary>The node could not be reached (connection refused, timeout, misconfiguration).</summary>
public sealed class EngineUnavailableException(string node, string reason, Exception? inner = null)
    : ControlPanelException($"Node '{node}' is unreachable: {reason}", inner)
{
    public string Node { get; } = node;
    public string Reason { get; } = reason;
    /// <summary>The host is there but no engine listens (a unix socket missing, a connection refused): the engine is down, not the network.</summary>
    public bool EngineRefused { get; init; }
}

/// <summary>The engine answered but refused the operation; carries the engine's own message.</summary>
public sealed class EngineRefusedException(string node, string engineMessage, Exception? inner = null)
    : ControlPanelException($"The engine on node '{node}' refused: {engineMessage}", inner)
{
    public string Node { get; } = node;
    public string EngineMessage { get; } = engineMessage;
}
