using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Timeline;

/// <summary>
/// The audit log, also putting each finished container action (start, stop, restart, kill, remove) on the timeline
/// with who clicked: every such click is audited, so this one seam covers the page, the API and the CLI.
/// </summary>
public sealed class TimelineAuditLog(IAuditLog inner, PanelTimeline timeline, FleetState fleet) : IAuditLog
{
    private const string ContainerActionPrefix = "container.";

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken) => inner.RecordAsync(entry, cancellationToken);

    // Found when the action begins: a removed container is gone from the fleet's state by the time it ends.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, ContainerSummary> _acting = new();

    public async Task<long> BeginAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var id = await inner.BeginAsync(entry, cancellationToken);
        if (IsContainerAction(entry) && Find(entry) is { } container) _acting[id] = container;
        return id;
    }

    public async Task CompleteAsync(long id, AuditEntry outcome, CancellationToken cancellationToken)
    {
        await inner.CompleteAsync(id, outcome, cancellationToken);
        if (!IsContainerAction(outcome)) return;
        var verb = outcome.Action[ContainerActionPrefix.Length..];
        var container = _acting.TryRemove(id, out var found) ? found : Find(outcome);
        await timeline.RecordAsync(new FleetEvent
        {
            At = outcome.At + outcome.Duration,
            Kind = FleetEventKind.ContainerAction,
            Summary = outcome.Succeeded
                ? $"{verb} by {outcome.Actor}" + (outcome.Detail is { Length: > 0 } d ? $" ({d})" : "")
                : $"{verb} by {outcome.Actor} failed: {outcome.Error}",
            Actor = outcome.Actor,
            Node = outcome.Node,
            ContainerId = container?.Id ?? outcome.Target,
            ContainerName = container?.Name,
            Service = container?.Labels.GetValueOrDefault(Releases.ReplicaLabels.Service),
        });
    }

    private static bool IsContainerAction(AuditEntry entry) => entry.Action.StartsWith(ContainerActionPrefix, StringComparison.Ordinal) && entry.Node is not null;

    // The target is what the person gave (an id prefix or a name); the timeline keys containers by full id.
    private ContainerSummary? Find(AuditEntry entry) => fleet.Find(entry.Node!)?.Containers.Values.FirstOrDefault(c =>
        c.Id.StartsWith(entry.Target, StringComparison.Ordinal) || c.Name == entry.Target);

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);
}
