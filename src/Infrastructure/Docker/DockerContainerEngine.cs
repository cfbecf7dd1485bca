using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using Docker.DotNet;
using Docker.DotNet.Models;
using ContainerStatus = ControlPanel.Core.Fleet.ContainerStatus;

namespace ControlPanel.Infrastructure.Docker;

/// <summary><see cref="IContainerEngine"/> over the Docker Engine API, one client per node; the replica operations are in DockerContainerEngine.Replicas.cs.</summary>
public sealed partial class DockerContainerEngine(DockerClientPool clients, FleetOptions options) : IContainerEngine
{
    private readonly ConcurrentDictionary<ResyncQueue<EngineEvent>, byte> _openEventQueues = new();
    private int _closedHighWater;
    private int _closedOverflows;

    /// <summary>The most events any event stream of this engine held at once; at most <see cref="FleetOptions.EventQueueCapacity"/>.</summary>
    public int EventQueueHighWater => Math.Max(Volatile.Read(ref _closedHighWater), _openEventQueues.Keys.Select(q => q.HighWater).DefaultIfEmpty().Max());

    /// <summary>How often an event stream's queue overflowed and was replaced by a missed-events marker.</summary>
    public int EventQueueOverflows => Volatile.Read(ref _closedOverflows) + _openEventQueues.Keys.Sum(q => q.Overflows);

    public Task<EngineInfo> GetInfoAsync(NodeDefinition node, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, null, async () =>
        {
            var client = clients.For(node);
            var info = client.System.GetSystemInfoAsync(cancellationToken);
            var version = client.System.GetVersionAsync(cancellationToken);
            return DockerMapping.ToEngineInfo(await info, await version);
        });

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(NodeDefinition node, CancellationToken cancellationToken) =>
        DockerErrors.Call<IReadOnlyList<ContainerSummary>>(node.Name, null, async () =>
        {
            var rows = await clients.For(node).Containers.ListContainersAsync(new ContainersListParameters { All = true }, cancellationToken);
            return rows.Select(r => DockerMapping.ToSummary(node.Name, r)).ToList();
        });

    public Task<ContainerSummary?> FindContainerAsync(NodeDefinition node, string idOrName, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, idOrName, async () =>
        {
            var containers = clients.For(node).Containers;
            // The id filter matches prefixes; the name filter is a regular expression, so anchor it.
            var byId = await containers.ListContainersAsync(Filter("id", idOrName), cancellationToken);
            var match = byId.FirstOrDefault(c => c.ID.StartsWith(idOrName, StringComparison.Ordinal));
            if (match is null)
            {
                var byName = await containers.ListContainersAsync(Filter("name", $"^/{System.Text.RegularExpressions.Regex.Escape(idOrName)}$"), cancellationToken);
                match = byName.FirstOrDefault();
            }
            return match is null ? null : DockerMapping.ToSummary(node.Name, match);
        });

    public Task<ContainerDetails> InspectContainerAsync(NodeDefinition node, string idOrName, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, idOrName, async () =>
        {
            var client = clients.For(node);
            var c = await client.Containers.InspectContainerAsync(idOrName, cancellationToken);
            IReadOnlyList<string> digests = [];
            try
            {
                digests = (await client.Images.InspectImageAsync(c.Image, cancellationToken)).RepoDigests?.ToList() ?? [];
            }
            catch (DockerImageNotFoundException)
            {
                // The image was removed after the container was created; the container still runs.
            }
            return DockerMapping.ToDetails(node.Name, c, digests);
        });

    public Task<ContainerStatus> InspectStatusAsync(NodeDefinition node, string idOrName, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, idOrName, async () =>
            DockerMapping.ToStatus(await clients.For(node).Containers.InspectContainerAsync(idOrName, cancellationToken)));

    public Task<IReadOnlyList<ImageSummary>> ListImagesAsync(NodeDefinition node, CancellationToken cancellationToken) =>
        DockerErrors.Call<IReadOnlyList<ImageSummary>>(node.Name, null, async () =>
        {
            var images = await clients.For(node).Images.ListImagesAsync(new ImagesListParameters { All = false }, cancellationToken);
            return images.Select(DockerMapping.ToImage).ToList();
        });

    public Task StartAsync(NodeDefinition node, string id, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, () => clients.For(node).Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken));

    // No Signal is passed: engines before API 1.42 ignore it. The container's own StopSignal applies.
    public Task<bool> StopAsync(NodeDefinition node, string id, TimeSpan? timeout, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, () => clients.For(node).Containers.StopContainerAsync(
            id, new ContainerStopParameters { WaitBeforeKillSeconds = Seconds(timeout) }, cancellationToken));

    public Task RestartAsync(NodeDefinition node, string id, TimeSpan? timeout, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, () => clients.For(node).Containers.RestartContainerAsync(
            id, new ContainerRestartParameters { WaitBeforeKillSeconds = Seconds(timeout) }, cancellationToken));

    public Task KillAsync(NodeDefinition node, string id, string signal, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, () => clients.For(node).Containers.KillContainerAsync(
            id, new ContainerKillParameters { Signal = signal }, cancellationToken));

    public Task RemoveAsync(NodeDefinition node, string id, bool force, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, () => clients.For(node).Containers.RemoveContainerAsync(
            id, new ContainerRemoveParameters { Force = force }, cancellationToken));

    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync(NodeDefinition node, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Bounded: the engine drops events for a subscriber that stops reading, silently, so a burst is read
        // off the socket at once, and what the reader cannot keep up with becomes one "re-list" marker.
        var queue = new ResyncQueue<EngineEvent>(options.EventQueueCapacity, dropped => EngineEvent.Missed(node.Name, dropped));
        _openEventQueues[queue] = 0;
        var parameters = new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["type"] = new Dictionary<string, bool> { ["container"] = true, ["image"] = true } },
        };
        // Progress<T> would post to the thread pool and reorder events; write straight into the queue.
        var progress = new InlineProgress<Message>(m => queue.Write(ToEvent(node.Name, m)));
        var monitor = Task.Run(async () =>
        {
            try
            {
                await clients.For(node).System.MonitorEventsAsync(parameters, progress, cancellationToken);
                queue.Complete(new EngineUnavailableException(node.Name, "the engine closed the event stream"));
            }
            catch (Exception ex)
            {
                queue.Complete(DockerErrors.Translate(node.Name, null, ex) ?? ex);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var e in queue.ReadAllAsync(cancellationToken)) yield return e;
            await monitor;
        }
        finally
        {
            _openEventQueues.TryRemove(queue, out _);
            InterlockedMax(ref _closedHighWater, queue.HighWater);
            Interlocked.Add(ref _closedOverflows, queue.Overflows);
        }
    }

    private static void InterlockedMax(ref int field, int value)
    {
        var seen = Volatile.Read(ref field);
        while (value > seen && Interlocked.CompareExchange(ref field, value, seen) is var now && now != seen) seen = now;
    }

    private static EngineEvent ToEvent(string node, Message m) => new(
        node, m.Type ?? "", m.Action ?? "", m.Actor?.ID ?? "",
        m.TimeNano is { } nanos and > 0 ? DateTimeOffset.UnixEpoch.AddTicks(nanos / 100) : DateTimeOffset.UtcNow)
    {
        Attributes = m.Actor?.Attributes is { Count: > 0 } attributes ? new Dictionary<string, string>(attributes) : new Dictionary<string, string>(),
    };

    private static ContainersListParameters Filter(string key, string value) => new()
    {
        All = true,
        Filters = new Dictionary<string, IDictionary<string, bool>> { [key] = new Dictionary<string, bool> { [value] = true } },
    };

    private static uint? Seconds(TimeSpan? timeout) => timeout is { } t ? (uint)Math.Ceiling(t.TotalSeconds) : null;

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
