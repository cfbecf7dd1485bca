namespace ControlPanel.Infrastructure.Configuration;

/// <summary>One entry of "ControlPanel:Nodes" in configuration.</summary>
public sealed class NodeOptions
{
    public string? Name { get; set; }

    /// <summary>unix:///path/docker.sock or tcp://host:2376.</summary>
    public string? Endpoint { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>For tcp:// endpoints: a folder holding ca.pem, cert.pem and key.pem (Docker's DOCKER_CERT_PATH layout).</summary>
    public string? TlsCertificatesDirectory { get; set; }

    /// <summary>Allow a tcp:// endpoint without TLS. Anyone on that network then has root on the host.</summary>
    public bool AllowInsecureTcp { get; set; }
}

/// <summary>The "ControlPanel" configuration section.</summary>
public sealed class ControlPanelOptions
{
    public const string Section = "ControlPanel";

    /// <summary>Empty means the embedded default: the local engine as the only node.</summary>
    public List<NodeOptions> Nodes { get; set; } = [];
}
