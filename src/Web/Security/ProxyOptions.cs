namespace ControlPanel.Web.Security;

/// <summary>
/// How the panel is reached (section ControlPanel:Http). Empty by default: forwarded headers are ignored (any
/// process on the host could send them) and a browser's Origin must be the address the request came to.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>Reverse proxies (IP addresses) whose X-Forwarded-For/-Proto are believed: client address and https.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>The same for whole networks, in CIDR form (10.1.0.0/16).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// The panel's public addresses (https://panel.example.com) a browser may open its live connections from, when a
    /// proxy does not pass the original Host on. Empty: only the request's own scheme://host.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
