using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Resources;

/// <summary>
/// Samples one node's running containers (as <see cref="FleetState"/> knows them; the node is never listed) in rounds:
/// at the live rate while anyone watches the node, else at the history rate. Every viewer shares it.
/// </summary>
public sealed class NodeSampler
{
    private readonly NodeDefinition _node;
    private readonly IContainerStatsReader _reader;
    private readonly IContainerEngine _engine;
    private readonly FleetState _fleet;
    private readonly ResourceUsageOptions _options;
    private readonly Func<int> _watchers;
    private readonly Action<ResourceRollup> _completed;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TrackedContainer> _containers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private DateTimeOffset _lastHistoryRound = DateTimeOffset.MinValue;
    private DateTimeOffset _engineInfoAt = DateTimeOffset.MinValue;
    private int _rounds;
    private int _lastRoundReads;
    private long _reads;
    private long _lastNotified;

    internal NodeSampler(NodeDefinition node, IContainerStatsReader reader, IContainerEngine engine, FleetState fleet, ResourceUsageOptions options,
        Func<int> watchers, Action<ResourceRollup> completed, ILogger logger)
    {
        (_node, _reader, _engine, _fleet, _options, _watchers, _completed, _logger) = (node, reader, engine, fleet, options, watchers, completed, logger);
    }

    public NodeDefinition Node => _node;

    /// <summary>Rounds done so far.</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    /// <summary>Engine stats calls of the last round: one per running container, however many pages watch.</summary>
    public int LastRoundReads => Volatile.Read(ref _lastRoundReads);

    /// <summary>
    /// When the last round found no running container, that round's start; else null. The node's containers then use
    /// none of it, which is a reading (0 %), not the lack of one.
    /// </summary>
    public DateTimeOffset? IdleAt { get; private set; }

    /// <summary>Engine stats calls since the sampler started.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The engine's CPU count and memory, from its info; null until it answered once.</summary>
    public (int Cpus, long MemoryBytes)? EngineTotals { get; private set; }

    /// <summary>Why the last round failed (the engine's words), or null.</summary>
    public string? Problem { get; private set; }

    internal event Action<string>? Sampled;

    /// <summary>Starts the next round now (a viewer arrived and wants live readings).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>Latest readings of the running containers.</summary>
    public IEnumerable<(ContainerSummary Container, ResourceSample Latest)> Latest() =>
        _containers.Values.Where(c => c.Running && c.Latest is not null).Select(c => (c.Container, c.Latest!));

    public ResourceSample? LatestOf(string containerId) =>
        _containers.TryGetValue(containerId, out var c) && c.Running ? c.Latest : null;

    /// <summary>Every container's history ring, stopped ones too while their history lasts.</summary>
    public IEnumerable<(ContainerSummary Container, SampleRing Ring)> Rings() => _containers.Values.Select(c => (c.Container, c.Ring));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await RoundAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The node left or the panel stops: a round cut short is not a failure, and must not fault the host.
                break;
            }
            catch (Exception ex)
            {
                Problem = ex.Message;
                _logger.LogWarning("Sampling node {Node} failed: {Reason}", _node.Name, ex.Message);
            }
            var interval = _watchers() > 0 ? _options.LiveInterval : _options.HistoryInterval;
            // Rounds start an interval apart, the round's own time included: a round mostly waits on the engine's
            // once-a-second stats tick, so waiting a whole interval after it made the 2 s live rate one round in 3-4 s.
            // A round that overran still leaves the engine a quarter of an interval's rest.
            var wait = interval - Stopwatch.GetElapsedTime(started);
            if (wait < interval / 4) wait = interval / 4;
            try
            {
                // A viewer's arrival cuts the history rate's wait short.
                await _wake.WaitAsync(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        if (EngineTotals is null || DateTimeOffset.UtcNow - _engineInfoAt > TimeSpan.FromMinutes(10))
        {
            var info = await _engine.GetInfoAsync(_node, cancellationToken);
            EngineTotals = (info.Cpus, info.MemoryBytes);
            _engineInfoAt = DateTimeOffset.UtcNow;
        }
        var running = _fleet.Find(_node.Name)?.Containers.Values.Where(c => c.State == ContainerState.Running).ToList() ?? [];
        var now = DateTimeOffset.UtcNow;
        var historyRound = now - _lastHistoryRound >= _options.HistoryInterval - TimeSpan.FromMilliseconds(500);
        if (historyRound) _lastHistoryRound = now;
        var reads = 0;
        string? problem = null;
        await Parallel.ForEachAsync(running, new ParallelOptions { MaxDegreeOfParallelism = _options.ReadsInFlightPerNode, CancellationToken = cancellationToken },
            async (container, ct) =>
            {
                var tracked = _containers.GetOrAdd(container.Id, _ => new TrackedContainer(container, _options.RingCapacity));
                tracked.Container = container;
                tracked.Running = true;
                try
                {
                    Interlocked.Increment(ref reads);
                    Interlocked.Increment(ref _reads);
                    // One stuck read (a wedged containerd, a container half removed) must not hold the round forever.
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    deadline.CancelAfter(_options.ReadTimeout);
                    var counters = await _reader.ReadOnceAsync(_node, container.Id, deadline.Token);
                    // Rates use the engine's read times; the reading is filed under the round's start, so sums over a
                    // node or a service add one round's readings, even when the round crosses a bucket's boundary.
                    var sample = ResourceRates.Between(tracked.Counters, counters, EngineTotals?.MemoryBytes) is { } rated ? rated with { At = now } : null;
                    tracked.Counters = counters;
                    if (sample is null) return;
                    tracked.Latest = sample;
                    NotifyWhileRunning();
                    if (!historyRound) return;
                    tracked.Ring.Add(sample);
                    if (tracked.Minute.Add(sample) is { } minute) _completed(new ResourceRollup(_node.Name, container.Id, ServiceOf(container), minute));
                }
                catch (ContainerNotFoundException)
                {
                    tracked.Running = false;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Any one container's failure (a timeout, an answer that does not parse) costs that reading only.
                    problem = ex is OperationCanceledException ? $"reading {container.Name} took longer than {_options.ReadTimeout.TotalSeconds:0} s" : ex.Message;
                }
            });
        var runningIds = running.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, tracked) in _containers)
        {
            if (runningIds.Contains(id)) continue;
            tracked.Running = false;
            tracked.Counters = null;
            if (tracked.Minute.CompleteIfBefore(now) is { } minute) _completed(new ResourceRollup(_node.Name, id, ServiceOf(tracked.Container), minute));
            // A stopped container's history is kept as long as the ring reaches back, then forgotten.
            if (tracked.Ring.Count == 0 || tracked.Ring.Since(now - _options.RingSpan).Count == 0) _containers.TryRemove(id, out _);
        }
        Problem = problem;
        IdleAt = running.Count == 0 ? now : null;
        Volatile.Write(ref _lastRoundReads, reads);
        Interlocked.Increment(ref _rounds);
        Interlocked.Exchange(ref _lastNotified, Stopwatch.GetTimestamp());
        Sampled?.Invoke(_node.Name);
    }

    /// <summary>
    /// Tells viewers of readings that came in while the round goes on, at most once a second: a busy engine's round can
    /// take many seconds, and its first readings should not wait for its last.
    /// </summary>
    private void NotifyWhileRunning()
    {
        var last = Interlocked.Read(ref _lastNotified);
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1)) return;
        if (Interlocked.CompareExchange(ref _lastNotified, now, last) == last) Sampled?.Invoke(_node.Name);
    }

    internal static string? ServiceOf(ContainerSummary container) => container.Labels.GetValueOrDefault(ReplicaLabels.Service);

    private sealed class TrackedContainer(ContainerSummary container, int ringCapacity)
    {
        public ContainerSummary Container { get; set; } = container;
        public volatile bool Running;
        public ContainerCounters? Counters { get; set; }
        public ResourceSample? Latest { get; set; }
        public SampleRing Ring { get; } = new(ringCapacity);
        public MinuteRollup Minute { get; } = new();
    }
}
