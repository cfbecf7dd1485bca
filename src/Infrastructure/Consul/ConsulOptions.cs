namespace ControlPanel.Infrastructure.Consul;

/// <summary>
/// How the panel reaches Consul (ControlPanel:Consul). Nothing Consul-related is registered unless
/// <see cref="Address"/> is set. The client follows Consul's HTTP API v1 as documented for Consul 1.16.
/// </summary>
public sealed class ConsulOptions
{
    public const string Section = "ControlPanel:Consul";

    /// <summary>An agent or server for catalog and health reads, e.g. http://127.0.0.1:8500 or https://consul.example:8501.</summary>
    public string? Address { get; set; }

    /// <summary>ACL token, sent only as the X-Consul-Token header; never logged, shown or returned.</summary>
    public string? Token { get; set; }

    /// <summary>Sent as <c>dc</c> on catalog and health reads; empty means the agent's own datacenter.</summary>
    public string? Datacenter { get; set; }

    /// <summary>PEM file of the CA that signed Consul's HTTPS certificates; empty trusts the system's CAs.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate, for agents that verify incoming HTTPS clients (verify_incoming).</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Port of each node's local agent when the node has no entry in <see cref="Agents"/>; the scheme is the one of <see cref="Address"/>.</summary>
    public int AgentPort { get; set; } = 8500;

    /// <summary>Per node name, the address of its local agent when it is not the node's host on <see cref="AgentPort"/>.</summary>
    public Dictionary<string, string> Agents { get; set; } = [];

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Address);
}
