using System.Globalization;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>
/// Each of the panel's stages done by hand with git and the docker CLI, in the same cache state: fetch into a bare
/// clone, git archive, `docker build -` on the panel's build node, `docker push`, `docker pull` on every node in
/// parallel, and a rolling replace of the replicas, start-first, each new one waited for until its FastCGI ping answers.
/// </summary>
public sealed class CliPipeline(IReadOnlyList<NodeDefinition> nodes, int replicasPerNode, int parallelism, PhpApp app, string unique, string label) : IAsyncDisposable
{
    public static readonly string[] Stages = ["fetch", "context", "build", "push", "pre-pull", "rollout"];
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-bench-cli-").FullName;
    private readonly int _ports = LabContainers.NextPorts(2 * nodes.Count * replicasPerNode);
    private readonly string?[] _running = new string?[nodes.Count * replicasPerNode];
    private readonly int[] _runningPorts = new int[nodes.Count * replicasPerNode];
    private int _nextPort;

    private string Clone => Path.Combine(_folder, "clone.git");
    private string Context => Path.Combine(_folder, "context.tar");

    /// <summary>The node images are built on: the panel's build node, so both use the same builder cache.</summary>
    public NodeDefinition BuildNode { get; set; } = nodes[0];

    /// <summary>Makes the bare clone and rolls out the branch head once (nothing to replace yet).</summary>
    public async Task StartAsync()
    {
        await DockerCli.RunProcessAsync("git", ["init", "--bare", "--quiet", Clone]);
        await RoundAsync(commit: false);
    }

    /// <summary>Commits the one-file change (unless told not to) and takes it through every stage, each timed.</summary>
    public async Task<StageTimes> RoundAsync(bool commit = true)
    {
        var sha = commit ? app.Commit() : app.Repository.Git("rev-parse", "HEAD").Trim();
        var image = $"{Lab.Current.Registry}/bench/pipeline-cli-{unique}:{sha[..7]}";
        var times = new StageTimes();
        // A script learns the commit it fetched from the clone (to tag the image), as the panel's fetch phase resolves it.
        await times.TimeAsync("fetch", async () =>
        {
            await DockerCli.RunProcessAsync("git", ["-C", Clone, "fetch", "--quiet", app.Repository.Path, $"+refs/heads/{PhpApp.Branch}:refs/heads/{PhpApp.Branch}"]);
            await DockerCli.RunProcessAsync("git", ["-C", Clone, "rev-parse", $"refs/heads/{PhpApp.Branch}"]);
        });
        await times.TimeAsync("context", () => DockerCli.RunProcessAsync("git", ["-C", Clone, "archive", "--format=tar", "-o", Context, sha]));
        // The classic builder, as the panel's build API call uses it.
        await times.TimeAsync("build", () => DockerCli.RunProcessAsync("sh", ["-c", $"DOCKER_BUILDKIT=0 docker -H {BuildNode.Endpoint} build -q --network host -t {image} - <{Context}"]));
        await times.TimeAsync("push", () => DockerCli.RunAsync(BuildNode.Endpoint, ["push", "-q", image]));
        await times.TimeAsync("pre-pull", () => Task.WhenAll(nodes.Select(n => DockerCli.RunAsync(n.Endpoint, ["pull", "-q", image]))));
        await times.TimeAsync("rollout", () => RollOutAsync(image));
        await VerifyAsync(app.Version);
        times["total"] = Stages.Sum(s => times[s]);
        return times;
    }

    /// <summary>Replaces every replica, <c>parallelism</c> at a time in the panel's order (slot by slot across the nodes).</summary>
    private async Task RollOutAsync(string image)
    {
        var slots = Enumerable.Range(0, replicasPerNode).SelectMany(i => Enumerable.Range(0, nodes.Count).Select(n => n * replicasPerNode + i)).ToList();
        foreach (var batch in slots.Chunk(parallelism))
            await Task.WhenAll(batch.Select(slot => ReplaceAsync(slot, image)));
    }

    /// <summary>Not timed: every replica answers index.php with the version just rolled out.</summary>
    private async Task VerifyAsync(string version)
    {
        for (var slot = 0; slot < _running.Length; slot++)
        {
            var node = nodes[slot / replicasPerNode];
            if (!await PhpApp.ServesAsync(node, _runningPorts[slot], version))
                throw new InvalidOperationException($"CLI replica on {node.Name}:{_runningPorts[slot]} does not serve {version}");
        }
    }

    private async Task ReplaceAsync(int slot, string image)
    {
        var node = nodes[slot / replicasPerNode];
        // Consecutive ports over twice the replicas: the running ones hold the last ones handed out, so the next is free.
        var port = _ports + Interlocked.Increment(ref _nextPort) % (2 * _running.Length);
        var started = await DockerCli.RunAsync(node.Endpoint, ["run", "-d", "--network", "host", "-e", $"PORT={port.ToString(CultureInfo.InvariantCulture)}",
            "--label", label, "--stop-timeout", "30", image]);
        await PhpApp.WaitAsync(() => PhpApp.PingsAsync(node, port), $"CLI replica on {node.Name}:{port}", TimeSpan.FromSeconds(60));
        if (_running[slot] is { } old)
        {
            await DockerCli.RunAsync(node.Endpoint, ["stop", old]);
            await DockerCli.RunAsync(node.Endpoint, ["rm", old]);
        }
        _running[slot] = started;
        _runningPorts[slot] = port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes) await DockerCli.RemoveLabelledAsync(node.Endpoint, label);
        Directory.Delete(_folder, recursive: true);
    }
}
