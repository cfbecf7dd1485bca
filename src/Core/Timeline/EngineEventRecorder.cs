using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Timeline;

/// <summary>
/// Turns the fleet watcher's changes into timeline entries: deaths (with exit code), OOM kills, kills, restarts
/// (a start after a death that nobody asked for, or the engine's restart), health changes, and a node's outage as one
/// unreachable entry and one reachable-again entry however many reconnects it took — or, when the engine refused the
/// connections meanwhile (its host answered), one engine-restarted entry at its end.
/// </summary>
public sealed class EngineEventRecorder(FleetChangeNotifier notifier, ITimeline timeline, TimeProvider time, ILogger<EngineEventRecorder> logger)
{
    // The engine reports an OOM kill before the death it causes; the death carries the exit code.
    private static readonly TimeSpan OomToDeath = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Node, string Id), DateTimeOffset> _oomKilled = new();
    private readonly ConcurrentDictionary<(string Node, string Id), int?> _diedUnasked = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unreachableSince = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _engineRefused = new(StringComparer.Ordinal);

    /// <summary>Records from now until the returned subscription is disposed.</summary>
    public IDisposable Start() => notifier.Subscribe(change => RecordAsync(change, CancellationToken.None));

    public async Task RecordAsync(FleetChange change, CancellationToken cancellationToken)
    {
        var entry = change switch
        {
            ContainerChanged { Event: { } e } c => FromContainerEvent(c, e),
            NodeStreamLost lost => Lost(lost),
            NodeResynced back when _unreachableSince.TryRemove(back.Node, out var since) => _engineRefused.TryRemove(back.Node, out _)
                ? new FleetEvent
                {
                    At = time.GetUtcNow(), Kind = FleetEventKind.EngineRestarted, Node = back.Node,
                    Summary = $"the engine on {back.Node} restarted: it refused connections, then answered again after {Words(time.GetUtcNow() - since)}",
                }
                : new FleetEvent
                {
                    At = time.GetUtcNow(), Kind = FleetEventKind.NodeReachable, Node = back.Node,
                    Summary = $"node {back.Node} is reachable again after {Words(time.GetUtcNow() - since)}",
                },
            _ => null,
        };
        if (entry is null) return;
        try
        {
            await timeline.RecordAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not record {Kind} of {Node}/{Container} on the timeline", entry.Kind, entry.Node, entry.ContainerName ?? entry.ContainerId);
        }
    }

    // The outage is one entry however many reconnects fail; whether the engine (not the host) was down is learnt on the way.
    private FleetEvent? Lost(NodeStreamLost lost)
    {
        if (lost.EngineRefused) _engineRefused.TryAdd(lost.Node, 0);
        if (!_unreachableSince.TryAdd(lost.Node, time.GetUtcNow())) return null;
        return new FleetEvent
        {
            At = time.GetUtcNow(), Kind = FleetEventKind.NodeUnreachable, Node = lost.Node,
            Summary = $"node {lost.Node} is unreachable: {lost.Reason}",
        };
    }

    private FleetEvent? FromContainerEvent(ContainerChanged change, EngineEvent e)
    {
        var key = (change.Node, change.Id);
        var attributes = e.Attributes;
        var name = attributes.GetValueOrDefault("name") ?? change.Container?.Name;
        string? Label(string label) => attributes.GetValueOrDefault(label) ?? change.Container?.Labels.GetValueOrDefault(label);
        var service = Label(Releases.ReplicaLabels.Service);
        var release = int.TryParse(Label(Releases.ReplicaLabels.Release), out var number) ? number : (int?)null;
        FleetEvent Entry(FleetEventKind kind, string summary, int? exitCode = null) => new()
        {
            At = e.Time, Kind = kind, Summary = summary, Node = change.Node, ContainerId = change.Id,
            ContainerName = name, Service = service, Release = release, ExitCode = exitCode,
        };
        switch (e.Action)
        {
            case "oom":
                _oomKilled[key] = e.Time;
                return null;
            case "die":
                var exitCode = int.TryParse(attributes.GetValueOrDefault("exitCode"), out var code) ? code : (int?)null;
                _diedUnasked[key] = exitCode;
                if (_oomKilled.TryRemove(key, out var oomAt) && e.Time - oomAt < OomToDeath)
                    return Entry(FleetEventKind.OomKilled, $"killed for running out of memory (exit code {exitCode?.ToString() ?? "unknown"})", exitCode);
                return Entry(FleetEventKind.ContainerDied, $"exited with code {exitCode?.ToString() ?? "unknown"}", exitCode);
            case "kill":
                return Entry(FleetEventKind.ContainerKilled, $"sent signal {Signal(attributes.GetValueOrDefault("signal"))}");
            case "stop":
                // Stopped on request: a later start is a person's or a deployment's, not a restart.
                _diedUnasked.TryRemove(key, out _);
                return null;
            case "start" when _diedUnasked.TryRemove(key, out var lastExit):
                return Entry(FleetEventKind.ContainerRestarted, $"restarted after exiting with code {lastExit?.ToString() ?? "unknown"}", lastExit);
            case "restart":
                return Entry(FleetEventKind.ContainerRestarted, "restarted");
            case "destroy":
                _diedUnasked.TryRemove(key, out _);
                _oomKilled.TryRemove(key, out _);
                return null;
            default:
                const string health = "health_status: ";
                return e.Action.StartsWith(health, StringComparison.Ordinal)
                    ? Entry(FleetEventKind.HealthChanged, $"health: {e.Action[health.Length..]}")
                    : null;
        }
    }

    private static string Signal(string? number) => number switch
    {
        null or "" => "(unknown)",
        "9" => "9 (SIGKILL)",
        "15" => "15 (SIGTERM)",
        "2" => "2 (SIGINT)",
        "3" => "3 (SIGQUIT)",
        "1" => "1 (SIGHUP)",
        _ => number,
    };

    private static string Words(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? $"{Math.Max(1, (int)span.TotalSeconds)} s"
        : span < TimeSpan.FromHours(1) ? $"{(int)span.TotalMinutes} min"
        : $"{span.TotalHours:0.#} h";
}
