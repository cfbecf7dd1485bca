using ControlPanel.Core.Common;

namespace ControlPanel.Core.Discovery;

/// <summary>
/// Base of Consul's failures. Messages name the address and what went wrong, never the ACL token.
/// </summary>
public abstract class ConsulException(string message, Exception? inner = null) : ControlPanelException(message, inner);

/// <summary>The agent could not be reached: refused, timed out, a TLS failure or a name that does not resolve.</summary>
public sealed class ConsulUnavailableException(string address, string reason, Exception? inner = null)
    : ConsulException($"Consul at {address} is unreachable: {reason}", inner)
{
    public string Address { get; } = address;
}

/// <summary>Consul's ACLs refused the token (403: "Permission denied" or "ACL not found").</summary>
public sealed class ConsulAccessDeniedException(string address, string operation, string consulMessage)
    : ConsulException($"Consul at {address} refused to {operation}: {consulMessage}. Check ControlPanel:Consul:Token and its policy.")
{
    public string Address { get; } = address;
}

/// <summary>Consul answered with another error; carries its own message.</summary>
public sealed class ConsulRefusedException(string address, string operation, int status, string consulMessage)
    : ConsulException($"Consul at {address} could not {operation} (HTTP {status}): {consulMessage}")
{
    public string Address { get; } = address;
    public int Status { get; } = status;
}

/// <summary>The settings name no usable Consul address (for the cluster or for one node's agent).</summary>
public sealed class ConsulConfigurationException(string message) : ConsulException(message);
