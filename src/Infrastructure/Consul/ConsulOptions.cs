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

    /// <summary>
    /// Nodes join by themselves: each host's machine image registers a service of this name with its agent, its
    /// engine's endpoint in the meta key <c>docker_endpoint</c> (see the README). Empty turns node discovery off.
    /// </summary>
    public string NodeService { get; set; } = "docker";

    /// <summary>
    /// TLS client certificates for discovered tcp:// engines: a sub-folder per node name (ca.pem, cert.pem, key.pem),
    /// else this folder itself for every node.
    /// </summary>
    public string? NodeCertificatesDirectory { get; set; }

    /// <summary>Accept a discovered tcp:// engine without TLS (anyone on that network then has root on the host).</summary>
    public bool AllowInsecureTcp { get; set; }

    /// <summary>Accept a discovered unix:// engine: only for a lab whose engines all run on the panel's machine.</summary>
    public bool AllowUnixEndpoints { get; set; }

    /// <summary>Register each replica with its node's agent (Registrator's job, done by the panel).</summary>
    public bool RegisterReplicas { get; set; } = true;

    /// <summary>
    /// A deployment whose registration step Consul refuses fails (before any old replica stops); false logs it and
    /// goes on, leaving the next reconcile to register what is missing.
    /// </summary>
    public bool RequiredForDeployments { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Address);

    public bool DiscoversNodes => IsConfigured && !string.IsNullOrWhiteSpace(NodeService);
}
