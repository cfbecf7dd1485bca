using System.Diagnostics;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>
/// The seed's way: on each node a php-fpm container (host network, its own port) whose document root is a checkout of
/// the repository on the host, bind-mounted. A release is `git pull` into each checkout and a graceful reload
/// (SIGUSR2 to php-fpm), on the nodes in parallel, until each php-fpm serves the new version.
/// </summary>
public sealed class GitPullPath(IReadOnlyList<NodeDefinition> nodes, PhpApp app, string label) : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-bench-checkouts-").FullName;
    private readonly int _ports = LabContainers.NextPorts(nodes.Count);
    private readonly List<(NodeDefinition Node, string Checkout, string Container, int Port)> _hosts = [];

    /// <summary>Clones a checkout per node and starts its php-fpm on it; returns once each serves the branch head.</summary>
    public async Task StartAsync()
    {
        // php-fpm's workers run as www-data: the checkouts must be readable by others.
        await DockerCli.RunProcessAsync("chmod", ["755", _folder]);
        for (var i = 0; i < nodes.Count; i++)
        {
            var checkout = Path.Combine(_folder, nodes[i].Name);
            await DockerCli.RunProcessAsync("git", ["clone", "--quiet", "--branch", PhpApp.Branch, app.Repository.Path, checkout]);
            var container = await DockerCli.RunAsync(nodes[i].Endpoint, ["run", "-d", "--network", "host", "-e", $"PORT={_ports + i}", "--label", label,
                "-v", $"{checkout}:{PhpApp.DocumentRoot}:ro", Lab.Image("php-fpm")]);
            _hosts.Add((nodes[i], checkout, container, _ports + i));
        }
        await Task.WhenAll(_hosts.Select(h => PhpApp.WaitAsync(() => PhpApp.ServesAsync(h.Node, h.Port, app.Version), $"git-pull php-fpm on {h.Node.Name}", TimeSpan.FromSeconds(60))));
    }

    /// <summary>
    /// Commits the one-file change, then times pull, reload and until served on each node; each stage is the slowest
    /// node's, and "total" the whole round from the first pull to the last node serving.
    /// </summary>
    public async Task<StageTimes> RoundAsync()
    {
        app.Commit();
        var version = app.Version;
        var clock = Stopwatch.StartNew();
        var perNode = await Task.WhenAll(_hosts.Select(async h =>
        {
            var times = new StageTimes();
            await times.TimeAsync("pull", () => DockerCli.RunProcessAsync("git", ["-C", h.Checkout, "pull", "--quiet", "--ff-only"]));
            await times.TimeAsync("reload", () => DockerCli.RunAsync(h.Node.Endpoint, ["kill", "-s", "USR2", h.Container]));
            await times.TimeAsync("served", () => PhpApp.WaitAsync(() => PhpApp.ServesAsync(h.Node, h.Port, version), $"git-pull php-fpm on {h.Node.Name}", TimeSpan.FromSeconds(30), interval: 5));
            return times;
        }));
        var round = new StageTimes { ["total"] = clock.Elapsed.TotalSeconds };
        foreach (var stage in new[] { "pull", "reload", "served" }) round[stage] = perNode.Max(t => t[stage]);
        return round;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes) await DockerCli.RemoveLabelledAsync(node.Endpoint, label);
        Directory.Delete(_folder, recursive: true);
    }
}
