using System.Diagnostics;
using ControlPanel.Core.Fleet;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ControlPanel.TestSupport;

/// <summary>
/// Creates real containers on lab nodes for one test, each labelled with the test's run id, and
/// removes all of them on dispose. Uses Docker.DotNet directly: this is setup, not the code under test.
/// </summary>
public sealed class LabContainers : IAsyncDisposable
{
    public const string RunLabel = "controlpanel.test.run";
    private readonly Dictionary<string, DockerClient> _clients = [];

    public string RunId { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A unique loopback port: all nodes share the host network.</summary>
    public static int NextPort() => NextPorts(1);

    /// <summary>The first of <paramref name="count"/> consecutive ports no other test uses and nothing holds now (host networking: ports are shared).</summary>
    public static int NextPorts(int count) => TestPorts.Next(count);

    /// <summary>A panel service's replicas (any state) on the shared nodes, found by the service label, straight from the engines.</summary>
    public async Task<List<(string Node, ContainerListResponse Container)>> ServiceReplicasAsync(string service)
    {
        var all = new List<(string, ContainerListResponse)>();
        foreach (var node in Lab.SharedNodes)
            all.AddRange((await Client(node).Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{Core.Releases.ReplicaLabels.Service}={service}"] = true } },
            })).Select(c => (node.Name, c)));
        return all;
    }

    public DockerClient Client(NodeDefinition node)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(node.Name, out var client))
            {
                client = new DockerClientBuilder().WithEndpoint(new Uri(node.Endpoint)).Build();
                _clients[node.Name] = client;
            }
            return client;
        }
    }

    /// <summary>Creates and (unless <paramref name="start"/> is false) starts a container; returns its id.</summary>
    public async Task<string> RunAsync(NodeDefinition node, string image, string name, IDictionary<string, string>? env = null,
        string? stopSignal = null, int? stopTimeoutSeconds = null, bool start = true, IDictionary<string, string>? labels = null, string? shellCommand = null)
    {
        var allLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [RunLabel] = RunId };
        var created = await Client(node).Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"{RunId}-{name}",
            Image = Lab.Image(image),
            Env = (env ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Labels = allLabels,
            StopSignal = stopSignal,
            StopTimeout = stopTimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            HostConfig = new HostConfig { NetworkMode = "host" },
            Entrypoint = shellCommand is null ? null! : ["/bin/sh", "-c", shellCommand],
        });
        if (start) await Client(node).Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    public async Task<ContainerInspectResponse> InspectAsync(NodeDefinition node, string id) =>
        await Client(node).Containers.InspectContainerAsync(id);

    /// <summary>The container's whole log (stdout and stderr) as the engine keeps it, read straight from Docker.</summary>
    public async Task<string> LogsAsync(NodeDefinition node, string id)
    {
        using var stream = await Client(node).Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, default);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(default);
        return stdout + stderr;
    }

    /// <summary>Polls the engine's log of the container until it holds <paramref name="text"/>.</summary>
    public Task WaitForLogAsync(NodeDefinition node, string id, string text, TimeSpan timeout) =>
        WaitUntilAsync(async () => (await LogsAsync(node, id)).Contains(text, StringComparison.Ordinal), timeout, $"'{text}' in the engine's log");

    /// <summary>Polls until <paramref name="condition"/> holds; throws with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            try
            {
                var mine = await client.Containers.ListContainersAsync(new ContainersListParameters
                {
                    All = true,
                    Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{RunLabel}={RunId}"] = true } },
                });
                // A few at a time: hundreds of forced removals at once (the fleet benchmark's 200 per node) left lab engines deadlocked.
                await Parallel.ForEachAsync(mine, new ParallelOptions { MaxDegreeOfParallelism = 4 },
                    async (c, _) => await client.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true }));
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or DockerApiException)
            {
                // The node may be down on purpose (engine-restart tests); its containers died with it.
            }
            client.Dispose();
        }
    }
}
