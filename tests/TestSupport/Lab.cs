using ControlPanel.Core.Fleet;

namespace ControlPanel.TestSupport;

/// <summary>
/// The real-engine lab started by scripts/lab, as described by `scripts/lab env`. Tests that need it
/// fail — never skip — when it is missing, with the command that fixes it.
/// </summary>
public static class Lab
{
    private static readonly Lazy<LabSettings> Settings = new(Read);

    public static LabSettings Current => Settings.Value;

    /// <summary>Nodes shared by all tests; tests only count containers they labelled themselves.</summary>
    public static IReadOnlyList<NodeDefinition> SharedNodes => Current.Nodes.Take(3).ToList();

    /// <summary>A node that tests may stop and restart; no other test uses it.</summary>
    public static NodeDefinition DisruptableNode => Current.Nodes.Count >= 4
        ? Current.Nodes[3]
        : throw new InvalidOperationException("Tests that restart an engine need a 4th lab node: start the lab with LAB_NODES=4 (./test.sh does).");

    public static string Image(string name) => $"{Current.Registry}/lab/{name}:1";

    private static LabSettings Read()
    {
        string Need(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v
            : throw new InvalidOperationException(
                $"The lab is not running or its settings are not exported ({name} is unset). Run ./test.sh, or: sudo scripts/lab up && eval \"$(scripts/lab env)\".");
        var count = int.Parse(Need("LAB_NODE_COUNT"), System.Globalization.CultureInfo.InvariantCulture);
        var nodes = Enumerable.Range(1, count)
            .Select(i => new NodeDefinition($"node{i}", Need($"LAB_NODE{i}_ENDPOINT"), new Dictionary<string, string> { ["lab"] = "true" }))
            .ToList();
        return new LabSettings(nodes, Need("LAB_REGISTRY"), Need("LAB_POSTGRES"), Need("LAB_SCRIPT"),
            Environment.GetEnvironmentVariable("LAB_CHROMIUM") ?? "/usr/bin/chromium",
            new LabTls(Need("LAB_TLS_ENDPOINT"), Need("LAB_TLS_CERTS"), Need("LAB_TLS_WRONG_CERTS")),
            new LabAuthRegistry(Need("LAB_AUTH_REGISTRY"), Need("LAB_AUTH_REGISTRY_USER"), Need("LAB_AUTH_REGISTRY_PASSWORD")));
    }
}

public sealed record LabSettings(IReadOnlyList<NodeDefinition> Nodes, string Registry, string PostgresConnectionString, string Script, string Chromium, LabTls Tls,
    LabAuthRegistry AuthRegistry);

/// <summary>The lab's registry that demands a login (htpasswd); its password is random per lab.</summary>
public sealed record LabAuthRegistry(string Address, string UserName, string Password);

/// <summary>The lab's mutual-TLS engine: its endpoint, a client certificate folder it trusts, and one it does not.</summary>
public sealed record LabTls(string Endpoint, string ClientCertificates, string WrongClientCertificates);
