using System.Diagnostics;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>
/// The baseline's own stack, beside the panel's on the same nodes: an nginx started with docker run on the first node
/// and PHP-FPM replicas released by script-release.sh (docker CLI, fixed drain wait), with their own ports.
/// </summary>
public sealed class ScriptStack(IReadOnlyList<NodeDefinition> nodes, int replicasPerNode, int drainSeconds, string label) : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"traffic-bench-{Guid.NewGuid():N}.state");
    private readonly int _ports = LabContainers.NextPorts(1 + 2 * nodes.Count * replicasPerNode);
    private string _nginx = "";

    public string ProxyUrl(int ms) => $"http://127.0.0.1:{_ports}/?ms={ms}";

    /// <summary>Starts nginx and the first version's replicas (nothing to drain yet).</summary>
    public async Task StartAsync(string image)
    {
        _nginx = await LabNginx.StartAsync(nodes[0], _ports, label);
        await File.WriteAllLinesAsync(_state, nodes.SelectMany(n => Enumerable.Repeat($"{n.Endpoint} - -", replicasPerNode)));
        await ReleaseAsync(image);
    }

    /// <summary>Runs the script to release <paramref name="image"/>; returns how long it took.</summary>
    public async Task<TimeSpan> ReleaseAsync(string image)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "script-release.sh");
        var clock = Stopwatch.StartNew();
        await DockerCli.RunProcessAsync("bash", [script, _state, image, drainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            nodes[0].Endpoint, _nginx, (_ports + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (_ports + 2 * nodes.Count * replicasPerNode).ToString(System.Globalization.CultureInfo.InvariantCulture), label]);
        return clock.Elapsed;
    }

    public void Dispose() => File.Delete(_state);
}

/// <summary>The lab's nginx image run by hand (docker run), as the seed ran it.</summary>
public static class LabNginx
{
    public const string UpstreamFile = "/etc/nginx/conf.d/upstream-fpm.conf";

    /// <summary>Starts lab/nginx on <paramref name="node"/> listening on 127.0.0.1:port; returns its container id once it answers.</summary>
    public static async Task<string> StartAsync(NodeDefinition node, int port, string label)
    {
        var id = await DockerCli.RunAsync(node.Endpoint, ["run", "-d", "--network", "host", "-e", $"PORT={port}", "--label", label, Lab.Image("nginx")]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await LabContainers.WaitUntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{port}/nginx-health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), $"nginx on port {port}");
        return id;
    }

    /// <summary>Writes the upstream fpm with these ports, checks it and reloads nginx.</summary>
    public static Task WriteUpstreamAsync(NodeDefinition node, string id, IEnumerable<int> ports) =>
        DockerCli.RunAsync(node.Endpoint, ["exec", "-i", id, "sh", "-c", $"cat >{UpstreamFile} && nginx -t -q && nginx -s reload"],
            "upstream fpm {\n" + string.Concat(ports.Select(p => $"    server 127.0.0.1:{p};\n")) + "}\n");
}
