using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Services;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Builds;

/// <summary>
/// Runs builds in the background, one task each, and keeps their live feeds while they run. A running build's
/// record is touched every heartbeat (<see cref="Common.LivenessOptions"/>), so that any instance can tell it from one whose panel died.
/// </summary>
public sealed class BuildRunner(BuildPipeline pipeline, IBuildStore store, ServiceChanges changes, TimeProvider time, Common.LivenessOptions liveness, ILogger<BuildRunner> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, Running> _running = new();

    private sealed record Running(BuildFeed Feed, CancellationTokenSource Cancel, Task Task);

    public BuildFeed? Feed(Guid id) => _running.TryGetValue(id, out var running) ? running.Feed : null;


    public BuildFeed Launch(Build build, BuildSettings settings, RegistryDefinition registry, NodeDefinition node)
    {
        var feed = new BuildFeed(build);
        var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var task = Task.Run(async () =>
        {
            await started.Task;
            using var activity = Telemetry.ControlPanelTelemetry.StartBuild(build.Id, build.Service);
            var startedAt = time.GetTimestamp();
            using var beating = new CancellationTokenSource();
            var heartbeat = BeatAsync(build.Id, beating.Token);
            try
            {
                await pipeline.RunAsync(feed, settings, registry, node, cancel.Token);
            }
            finally
            {
                var outcome = feed.Current.Status.ToString();
                Telemetry.ControlPanelTelemetry.RecordBuild(outcome, time.GetElapsedTime(startedAt));
                activity?.SetTag("controlpanel.build.outcome", outcome);
                if (feed.Current.Status == BuildStatus.Failed) activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
                await beating.CancelAsync();
                await heartbeat;
                _running.TryRemove(build.Id, out _);
                cancel.Dispose();
                changes.Publish(new ServiceChange(build.Service, ServiceChangeKind.BuildEnded));
            }
        });
        _running[build.Id] = new Running(feed, cancel, task);
        changes.Publish(new ServiceChange(build.Service, ServiceChangeKind.BuildStarted)); // before it can end
        started.SetResult(); // registered before it can finish and unregister
        return feed;
    }

    /// <summary>Cancels a running build; false when it is not running here.</summary>
    public bool Cancel(Guid id)
    {
        if (!_running.TryGetValue(id, out var running)) return false;
        try
        {
            running.Cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false; // it finished meanwhile
        }
        return true;
    }

    /// <summary>Marks builds whose panel stopped mid-way; run at start and now and then.</summary>
    public async Task<int> MarkAbandonedAsync(CancellationToken cancellationToken)
    {
        // Never this instance's own: a late heartbeat (a busy database) must not free a build that still runs here.
        var marked = await store.MarkInterruptedAsync(time.GetUtcNow() - liveness.AbandonedAfter, _running.Keys.ToList(), cancellationToken);
        if (marked > 0) logger.LogWarning("Marked {Count} builds interrupted: their panel stopped while they ran", marked);
        return marked;
    }

    private Task BeatAsync(Guid id, CancellationToken cancellationToken) =>
        Common.Heartbeat.RunAsync(liveness.HeartbeatInterval, time, (now, ct) => store.TouchAsync(id, now, ct),
            ex => logger.LogWarning(ex, "Heartbeat of build {Build} stopped", id), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _running.Values) Cancel(running.Feed.Current.Id);
        await Task.WhenAll(_running.Values.Select(r => r.Task));
    }
}
