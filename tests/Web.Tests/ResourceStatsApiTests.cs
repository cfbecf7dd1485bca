using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Docker;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

public class ResourceStatsApiTests : ApiTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>A busybox container that writes 1 MB more into its /dev/shm (counted as its memory) every second for a minute.</summary>
    internal static async Task<string> RunGrowingAsync(LabContainers containers, NodeDefinition node, string name)
    {
        var created = await containers.Client(node).Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"{containers.RunId}-{name}",
            Image = Lab.Image("busybox"),
            Labels = new Dictionary<string, string> { [LabContainers.RunLabel] = containers.RunId },
            Entrypoint = ["/bin/sh", "-c", "i=0; while [ $i -lt 60 ]; do i=$((i+1)); head -c 1000000 /dev/zero > /dev/shm/f$i; sleep 1; done; sleep 3600"],
            HostConfig = new HostConfig { NetworkMode = "host", Memory = 256 * 1024 * 1024 },
        });
        await containers.Client(node).Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task ContainerStats_WhenContainerAllocatesMemory_ShowRisingMemoryInLatestAndHistory()
    {
        var node = Lab.SharedNodes[0];
        var id = await RunGrowingAsync(Containers, node, "grows");
        var url = $"/api/nodes/{node.Name}/containers/{id}/stats?range=15m";
        long first = 0, last = 0;
        await LabContainers.WaitUntilAsync(async () =>
        {
            var stats = await GetAsync(Http, url);
            if (stats.GetProperty("latest").ValueKind != JsonValueKind.Object) return false;
            last = stats.GetProperty("latest").GetProperty("memoryBytes").GetInt64();
            if (first == 0) first = last;
            return last > first + 10_000_000;
        }, Patience, "memory to rise by 10 MB");
        var latest = (await GetAsync(Http, url)).GetProperty("latest");
        Assert.Equal(256L * 1024 * 1024, latest.GetProperty("memoryLimitBytes").GetInt64());
        Assert.True(latest.GetProperty("pids").GetInt32() >= 1);

        await LabContainers.WaitUntilAsync(async () =>
        {
            var history = (await GetAsync(Http, url)).GetProperty("history").EnumerateArray().Select(p => p.GetProperty("memoryBytes").GetInt64()).ToList();
            return history.Count >= 2 && history[^1] > history[0];
        }, Patience, "history to show the rise");

        // The node's and the fleet's views include it.
        var nodeStats = await GetAsync(Http, $"/api/nodes/{node.Name}/stats");
        Assert.True(nodeStats.GetProperty("latest").GetProperty("memoryBytes").GetInt64() >= last);
        Assert.True(nodeStats.GetProperty("engineMemoryBytes").GetInt64() > 0);
        Assert.Equal(nodeStats.GetProperty("engineMemoryBytes").GetInt64(), nodeStats.GetProperty("latest").GetProperty("memoryLimitBytes").GetInt64());
        var top = await GetAsync(Http, "/api/stats/top");
        Assert.Contains(top.EnumerateArray(), u => u.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Stats_AsViewer_AreReadable_AndABadRangeIsRefusedByName()
    {
        var viewer = await Factory.CreateClientAsync(Role.Viewer);
        var node = Lab.SharedNodes[1].Name;
        await GetAsync(viewer, $"/api/nodes/{node}/stats?range=1h");
        await GetAsync(viewer, "/api/services/none-such/stats?range=24h");
        await GetAsync(viewer, "/api/stats/top");

        using var bad = await viewer.GetAsync($"/api/nodes/{node}/stats?range=2d");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("range", problem);
        Assert.Contains("15m, 1h, 24h", problem);
        using var unknown = await viewer.GetAsync("/api/nodes/no-such-node/stats");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

/// <summary>Counts engine stats calls per container, around the real reader.</summary>
public sealed class CountingStatsReader(DockerContainerStatsReader inner) : IContainerStatsReader
{
    public ConcurrentDictionary<string, int> Reads { get; } = new();

    public Task<ContainerCounters> ReadOnceAsync(NodeDefinition node, string containerId, CancellationToken cancellationToken)
    {
        Reads.AddOrUpdate(containerId, 1, (_, n) => n + 1);
        return inner.ReadOnceAsync(node, containerId, cancellationToken);
    }
}

public class ResourceSamplerSharingTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private readonly LabContainers _containers = new();

    public Task InitializeAsync()
    {
        _factory.ConfigureServices = services =>
        {
            services.AddSingleton<DockerContainerStatsReader>();
            services.AddSingleton<CountingStatsReader>();
            services.AddSingleton<IContainerStatsReader>(sp => sp.GetRequiredService<CountingStatsReader>());
        };
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Watch_ManyHandlesOnOneNode_ShareOneSamplerReadingEachContainerOncePerRound()
    {
        await _factory.CreateClientAsync(Role.Viewer);
        var node = Lab.SharedNodes[2];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await _containers.RunAsync(node, "busybox", $"idle{i}", shellCommand: "sleep 3600"));
        var usage = _factory.Services.GetRequiredService<ResourceUsage>();
        var counter = _factory.Services.GetRequiredService<CountingStatsReader>();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(ids.All(id => usage.Latest(new ResourceScope.Container(node.Name, id)) is not null)),
            TimeSpan.FromSeconds(60), "the containers' first readings");

        var handles = Enumerable.Range(0, 5).Select(_ => usage.Watch(new ResourceScope.Node(node.Name))).ToList();
        try
        {
            var sampler = usage.Samplers[node.Name];
            var rounds0 = sampler.Rounds;
            var reads0 = ids.ToDictionary(id => id, id => counter.Reads[id]);
            // How fast rounds come is the benchmark's business (bench/Stats.Bench); this counts reads per round.
            await LabContainers.WaitUntilAsync(() => Task.FromResult(sampler.Rounds >= rounds0 + 4), TimeSpan.FromSeconds(180), "four rounds");
            var rounds = sampler.Rounds - rounds0;
            Assert.Same(sampler, usage.Samplers[node.Name]);
            Assert.Equal(5, usage.WatchersOf(node.Name));
            foreach (var id in ids) Assert.InRange(counter.Reads[id] - reads0[id], rounds - 1, rounds + 1);
            Assert.True(sampler.LastRoundReads >= ids.Count);
        }
        finally
        {
            foreach (var handle in handles) handle.Dispose();
        }
        Assert.Equal(0, usage.WatchersOf(node.Name));
    }

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        await _factory.DisposeAsync();
    }
}

public class ResourceHistoryRestartTests : IAsyncLifetime
{
    private LabDatabase _database = default!;
    private readonly LabContainers _containers = new();

    public async Task InitializeAsync() => _database = await LabDatabase.CreateAsync();

    [Fact]
    public async Task History_AfterPanelRestart_StillHoldsTheMinutesStoredBefore()
    {
        var node = Lab.SharedNodes[0];
        var id = await _containers.RunAsync(node, "busybox", "kept", shellCommand: "sleep 3600");
        var scope = new ResourceScope.Container(node.Name, id);
        await using (var first = new PanelFactory(_database.ConnectionString))
        {
            await first.CreateClientAsync(Role.Viewer);
            var store = first.Services.GetRequiredService<IResourceRollupStore>();
            // A minute is stored once the next one starts and the store's five-second flush comes round.
            await LabContainers.WaitUntilAsync(async () => (await store.LoadAsync(scope, DateTimeOffset.UtcNow.AddHours(-1), default)).Count > 0,
                TimeSpan.FromSeconds(150), "a stored minute");
        }

        await using var second = new PanelFactory(_database.ConnectionString);
        var http = await second.CreateClientAsync(Role.Viewer);
        var restartedAt = DateTimeOffset.UtcNow;
        using var response = await http.GetAsync($"/api/nodes/{node.Name}/containers/{id}/stats?range=1h");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.NotEmpty(history);
        Assert.All(history, p => Assert.True(p.GetProperty("at").GetDateTimeOffset() < restartedAt));
        Assert.All(history, p => Assert.True(p.GetProperty("memoryBytes").GetInt64() > 0));
    }

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        await _database.DisposeAsync();
    }
}
