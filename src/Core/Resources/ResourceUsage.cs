using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Resources;

/// <summary>
/// <see cref="IResourceUsage"/> over one <see cref="NodeSampler"/> per node, in-memory rings for the last hour and
/// durable one-minute rollups for the day. <see cref="RunAsync"/> keeps the samplers in step with the node directory.
/// </summary>
public sealed class ResourceUsage(
    INodeDirectory directory,
    IContainerStatsReader reader,
    IContainerEngine engine,
    FleetState fleet,
    IResourceRollupStore rollups,
    ResourceUsageOptions options,
    TimeProvider time,
    ILoggerFactory loggers) : IResourceUsage
{
    private readonly ConcurrentDictionary<string, NodeSampler> _samplers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ResourceRollup> _pendingRollups = new();
    private readonly ILogger _logger = loggers.CreateLogger<ResourceUsage>();

    public event Action<string>? Sampled;

    /// <summary>The sampler of each node being sampled now.</summary>
    public IReadOnlyDictionary<string, NodeSampler> Samplers => _samplers;

    /// <summary>Viewers holding a <see cref="Watch"/> on the node.</summary>
    public int WatchersOf(string node) => _watchers.GetValueOrDefault(node);

    public IDisposable Watch(ResourceScope scope)
    {
        var nodes = scope switch
        {
            ResourceScope.Container c => [c.NodeName],
            ResourceScope.Node n => [n.Name],
            // Replicas may move to any node, so a service's page watches them all.
            _ => directory.GetNodes().Select(n => n.Name).ToArray(),
        };
        foreach (var node in nodes)
        {
            _watchers.AddOrUpdate(node, 1, (_, count) => count + 1);
            if (_samplers.TryGetValue(node, out var sampler)) sampler.Wake();
        }
        return new WatchHandle(() =>
        {
            foreach (var node in nodes) _watchers.AddOrUpdate(node, 0, (_, count) => Math.Max(0, count - 1));
        });
    }

    public ResourceSample? Latest(ResourceScope scope) => scope switch
    {
        ResourceScope.Container c => _samplers.GetValueOrDefault(c.NodeName)?.LatestOf(c.Id),
        ResourceScope.Node n => _samplers.GetValueOrDefault(n.Name) is { } sampler ? LatestOfNode(sampler) : null,
        ResourceScope.Service s => ResourceRates.Sum(LatestOfAll().Where(u => u.Service == s.Name).Select(u => u.Latest).ToList()),
        _ => null,
    };

    private static ResourceSample? LatestOfNode(NodeSampler sampler)
    {
        var memory = sampler.EngineTotals?.MemoryBytes;
        return sampler.IdleAt is { } idle
            ? new ResourceSample(idle, 0, null, 0, memory, 0, 0, 0, 0, 0)
            : ResourceRates.Sum(sampler.Latest().Select(l => l.Latest).ToList(), memory);
    }

    public IReadOnlyList<ContainerUsage> LatestOfAll() =>
        _samplers.Values.SelectMany(s => s.Latest()).Select(l => new ContainerUsage(l.Container, NodeSampler.ServiceOf(l.Container), l.Latest)).ToList();

    /// <summary>The node's engine totals (CPU count, memory), or null before its engine answered.</summary>
    public (int Cpus, long MemoryBytes)? EngineTotals(string node) => _samplers.GetValueOrDefault(node)?.EngineTotals;

    public async Task<IReadOnlyList<ResourceSample>> HistoryAsync(ResourceScope scope, HistoryRange range, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now - range switch
        {
            HistoryRange.FifteenMinutes => TimeSpan.FromMinutes(15),
            HistoryRange.OneHour => TimeSpan.FromHours(1),
            _ => TimeSpan.FromHours(24),
        };
        var rings = range == HistoryRange.OneDay ? [] : RingsOf(scope).ToList();
        var ringStart = rings.Select(r => r.Ring.Oldest).Where(o => o is not null).Min() ?? now;
        var points = new List<ResourceSample>();
        // The rings start with the panel: before that (after a restart, or for the day) the rollups answer.
        if (ringStart > since + options.HistoryInterval)
        {
            var stored = await rollups.LoadAsync(scope, since, cancellationToken);
            points.AddRange(SumByTime(stored.Where(r => r.Sample.At < ringStart).Select(r => (r.ContainerId, r.Sample)), scope, TimeSpan.FromMinutes(1)));
        }
        points.AddRange(SumByTime(rings.SelectMany(r => r.Ring.Since(since).Select(s => (r.Id, s))), scope, options.HistoryInterval));
        return points;
    }

    private IEnumerable<(string Id, SampleRing Ring)> RingsOf(ResourceScope scope)
    {
        var all = scope switch
        {
            ResourceScope.Container c => _samplers.GetValueOrDefault(c.NodeName)?.Rings().Where(r => r.Container.Id == c.Id) ?? [],
            ResourceScope.Node n => _samplers.GetValueOrDefault(n.Name)?.Rings() ?? [],
            ResourceScope.Service s => _samplers.Values.SelectMany(x => x.Rings()).Where(r => NodeSampler.ServiceOf(r.Container) == s.Name),
            _ => [],
        };
        return all.Select(r => (r.Container.Id, r.Ring));
    }

    /// <summary>
    /// One point per time bucket. For a container, its last reading in the bucket. For a sum, each container counts
    /// with its latest reading up to the bucket (carried over from an earlier bucket, unless older than
    /// <see cref="SumStaleBuckets"/> buckets: it has stopped): nodes' rounds do not start together and a busy node's round
    /// can outlast a bucket, so a bucket holding only some containers' readings would otherwise show a false dip.
    /// </summary>
    private IEnumerable<ResourceSample> SumByTime(IEnumerable<(string Id, ResourceSample Sample)> samples, ResourceScope scope, TimeSpan bucket)
    {
        var buckets = samples.GroupBy(s => s.Sample.At.UtcTicks / bucket.Ticks).OrderBy(g => g.Key);
        if (scope is ResourceScope.Container)
        {
            foreach (var g in buckets) yield return g.MaxBy(s => s.Sample.At).Sample;
            yield break;
        }
        long? nodeMemory = scope is ResourceScope.Node n ? EngineTotals(n.Name)?.MemoryBytes : null;
        var held = new Dictionary<string, ResourceSample>(StringComparer.Ordinal);
        foreach (var g in buckets)
        {
            foreach (var (id, sample) in g.OrderBy(s => s.Sample.At)) held[id] = sample;
            var start = new DateTimeOffset(g.Key * bucket.Ticks, TimeSpan.Zero);
            var current = held.Values.Where(s => s.At >= start - SumStaleBuckets * bucket).ToList();
            yield return ResourceRates.Sum(current, nodeMemory)! with { At = start };
        }
    }

    private const int SumStaleBuckets = 3;

    /// <summary>Runs the samplers until cancelled, storing completed minutes and pruning the day's rollups.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new Dictionary<string, (NodeDefinition Node, CancellationTokenSource Stop, Task Loop)>(StringComparer.Ordinal);
        var lastPrune = DateTimeOffset.MinValue;
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            do
            {
                await ReconcileAsync(running, cancellationToken);
                await FlushAsync(cancellationToken);
                if (time.GetUtcNow() - lastPrune > TimeSpan.FromMinutes(10))
                {
                    lastPrune = time.GetUtcNow();
                    await rollups.PruneAsync(lastPrune - options.RollupRetention, cancellationToken);
                }
            } while (await tick.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the samplers end below and the last completed minutes are stored.
        }
        foreach (var (_, stop, loop) in running.Values) await StopSamplerAsync(stop, loop);
        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Stops one node's sampler; whatever it ended with, the other samplers and the final flush still run.</summary>
    private async Task StopSamplerAsync(CancellationTokenSource stop, Task loop)
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (Exception ex)
        {
            _logger.LogWarning("A node's sampler ended with {Reason}", ex.Message);
        }
        stop.Dispose();
    }

    private async Task ReconcileAsync(Dictionary<string, (NodeDefinition Node, CancellationTokenSource Stop, Task Loop)> running, CancellationToken cancellationToken)
    {
        var wanted = directory.GetNodes().Where(n => n.IsUsable && n.Availability != NodeAvailability.Left).ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var (name, r) in running.ToList())
        {
            if (wanted.TryGetValue(name, out var node) && node.Endpoint == r.Node.Endpoint && node.Tls == r.Node.Tls) continue;
            await StopSamplerAsync(r.Stop, r.Loop);
            running.Remove(name);
            _samplers.TryRemove(name, out _);
        }
        foreach (var node in wanted.Values.Where(n => !running.ContainsKey(n.Name)))
        {
            var sampler = new NodeSampler(node, reader, engine, fleet, options, () => WatchersOf(node.Name), _pendingRollups.Enqueue, _logger);
            sampler.Sampled += name => Sampled?.Invoke(name);
            _samplers[node.Name] = sampler;
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            running[node.Name] = (node, stop, Task.Run(() => sampler.RunAsync(stop.Token), CancellationToken.None));
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<ResourceRollup>();
        while (_pendingRollups.TryDequeue(out var rollup)) batch.Add(rollup);
        if (batch.Count == 0) return;
        try
        {
            await rollups.SaveAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The day's chart misses these minutes; the rings still hold the last hour.
            _logger.LogWarning(ex, "Storing {Count} resource rollups failed", batch.Count);
        }
    }

    private sealed class WatchHandle(Action release) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) release();
        }
    }
}
