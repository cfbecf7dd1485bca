using System.Collections.Concurrent;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Timeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Webhooks;

/// <summary>
/// Sends the fleet's events to the webhooks that asked for them: one alert per (webhook, kind, subject) per
/// de-duplication window, each delivery in the background with its own retries. "Unhealthy for longer than X" is
/// decided here: a container seen unhealthy is checked again after each webhook's X.
/// </summary>
public sealed class WebhookDispatcher(FleetEvents events, WebhookDirectory webhooks, IWebhookStore store, WebhookDelivery delivery, FleetState fleet,
    WebhookOptions options, TimeProvider time, IServiceProvider services, ILogger<WebhookDispatcher> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSent = new();
    private readonly ConcurrentDictionary<string, byte> _pendingHealthChecks = new();
    // When each container's current unhealthy spell began (node/id); a healthy report ends the spell.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unhealthySince = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>Dispatches until <paramref name="stoppingToken"/> is cancelled, then waits for deliveries in flight to stop.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        Start(ResumePendingAsync(stoppingToken));
        try
        {
            await foreach (var entry in events.SubscribeAsync(stoppingToken))
            {
                try
                {
                    await DispatchAsync(entry, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not dispatch {Kind} event to webhooks", entry.Kind);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_running.Keys);
    }

    /// <summary>Deliveries an earlier run left between two attempts go on where they stopped; those of webhooks deleted or disabled since end.</summary>
    private async Task ResumePendingAsync(CancellationToken cancellationToken)
    {
        var pending = await store.ListPendingAsync(cancellationToken);
        if (pending.Count == 0) return;
        var enabled = (await webhooks.EnabledAsync(cancellationToken)).ToDictionary(w => w.Id);
        logger.LogInformation("Resuming {Count} webhook deliveries left waiting for a retry", pending.Count);
        foreach (var waiting in pending)
        {
            if (enabled.TryGetValue(waiting.WebhookId, out var webhook)) Start(delivery.ResumeAsync(webhook, waiting, cancellationToken));
            else await store.RemovePendingAsync(waiting.DeliveryId, cancellationToken);
        }
    }

    private async Task DispatchAsync(FleetEvent entry, CancellationToken cancellationToken)
    {
        var enabled = (await webhooks.EnabledAsync(cancellationToken)).Where(w => w.Kinds.Contains(entry.Kind) || WatchesHealth(w, entry)).ToList();
        if (entry.Kind is FleetEventKind.HealthChanged or FleetEventKind.HealthFlap)
        {
            var unhealthy = IsUnhealthy(entry);
            if (unhealthy) _unhealthySince.TryAdd(ContainerKey(entry), entry.LastAt ?? entry.At);
            else _unhealthySince.TryRemove(ContainerKey(entry), out _);
            if (unhealthy)
                foreach (var threshold in enabled.GroupBy(w => w.UnhealthyFor))
                    Start(CheckStillUnhealthyAsync(entry, threshold.Key, cancellationToken));
            return;
        }
        // Delivered by the health check above, which knows each webhook's threshold.
        if (entry.Kind == FleetEventKind.UnhealthyTooLong) return;
        foreach (var webhook in enabled) Send(webhook, entry, cancellationToken);
    }

    private static bool WatchesHealth(Webhook webhook, FleetEvent entry) =>
        entry.Kind is FleetEventKind.HealthChanged or FleetEventKind.HealthFlap && webhook.Kinds.Contains(FleetEventKind.UnhealthyTooLong);

    // The entry's latest word on health ("health: unhealthy", or a flap's "...; latest: health: unhealthy").
    private bool IsUnhealthy(FleetEvent entry) =>
        entry.Summary.EndsWith("unhealthy", StringComparison.OrdinalIgnoreCase) || CurrentHealth(entry) == ContainerHealth.Unhealthy;

    private static string ContainerKey(FleetEvent entry) => $"{entry.Node}/{entry.ContainerId}";

    private ContainerHealth? CurrentHealth(FleetEvent entry) =>
        entry is { Node: { } node, ContainerId: { } id } && fleet.Find(node)?.Containers.GetValueOrDefault(id) is { } c ? c.Health : null;

    private async Task CheckStillUnhealthyAsync(FleetEvent entry, TimeSpan threshold, CancellationToken cancellationToken)
    {
        // A flapping container reports unhealthy again and again: one pending check per container and threshold.
        var key = $"{ContainerKey(entry)}/{threshold}";
        if (!_pendingHealthChecks.TryAdd(key, 0)) return;
        try
        {
            // Alert only for one unbroken spell longer than the threshold: a flapping container that happens to be
            // unhealthy at both ends of it started a new spell in between, and is checked again when that one is due.
            DateTimeOffset since;
            for (var wait = threshold; ; wait = since + threshold - time.GetUtcNow())
            {
                await Task.Delay(wait, time, cancellationToken);
                if (CurrentHealth(entry) != ContainerHealth.Unhealthy || !_unhealthySince.TryGetValue(ContainerKey(entry), out since))
                {
                    if (CurrentHealth(entry) is null) _unhealthySince.TryRemove(ContainerKey(entry), out _);
                    return;
                }
                if (since + threshold <= time.GetUtcNow()) break;
            }
            var alert = new FleetEvent
            {
                At = time.GetUtcNow(), Kind = FleetEventKind.UnhealthyTooLong, Node = entry.Node, ContainerId = entry.ContainerId,
                ContainerName = entry.ContainerName, Service = entry.Service,
                Summary = $"unhealthy for longer than {threshold} (since {since:u})",
            };
            if (services.GetService<ITimeline>() is { } timeline) alert = await timeline.RecordAsync(alert, cancellationToken);
            foreach (var webhook in (await webhooks.EnabledAsync(cancellationToken)).Where(w => w.UnhealthyFor == threshold && w.Kinds.Contains(alert.Kind)))
                Send(webhook, alert, cancellationToken);
        }
        finally
        {
            _pendingHealthChecks.TryRemove(key, out _);
        }
    }

    private void Send(Webhook webhook, FleetEvent entry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = $"{webhook.Id}/{entry.Kind}/{Subject(entry)}";
        // Atomic claim of the window: of ten events arriving together, exactly one wins. Whether this call won is
        // what its own (last) run of the update said, not a comparison of times two events can share.
        var won = false;
        _lastSent.AddOrUpdate(key,
            _ => { won = true; return now; },
            (_, last) => { won = now - last >= options.DeduplicationWindow; return won ? now : last; });
        if (!won) return;
        ForgetExpired(now);
        Start(delivery.DeliverAsync(webhook, entry, test: false, cancellationToken));
    }

    /// <summary>What the alert is about: a deployment or build is its own subject; otherwise the container, service or node.</summary>
    private static string Subject(FleetEvent e) =>
        e.DeploymentId?.ToString() ?? e.BuildId?.ToString() ?? e.ContainerId ?? e.Service ?? e.Node ?? "";

    private void ForgetExpired(DateTimeOffset now)
    {
        if (_lastSent.Count < 1000) return;
        foreach (var (key, at) in _lastSent)
            if (now - at >= options.DeduplicationWindow) _lastSent.TryRemove(key, out _);
    }

    private void Start(Task work)
    {
        var tracked = Observe(work);
        _running.TryAdd(tracked, 0);
        _ = tracked.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task Observe(Task work)
    {
        try
        {
            await work;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A webhook delivery failed");
        }
    }
}
