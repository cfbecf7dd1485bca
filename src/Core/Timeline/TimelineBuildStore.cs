using ControlPanel.Core.Audit;
using ControlPanel.Core.Builds;

namespace ControlPanel.Core.Timeline;

/// <summary>The build store, recording on the timeline each build's start and its end (once).</summary>
public sealed class TimelineBuildStore(IBuildStore inner, PanelTimeline timeline) : IBuildStore
{
    public async Task AddAsync(Build build, AuditEntry audit, CancellationToken cancellationToken)
    {
        await inner.AddAsync(build, audit, cancellationToken);
        await timeline.RecordAsync(Entry(build, FleetEventKind.BuildStarted, $"build of {build.Requested} on {build.Node} started", build.StartedAt));
        if (build.IsFinished) await RecordEndAsync(build); // a reused image ends as it starts
    }

    public async Task UpdateAsync(Build build, CancellationToken cancellationToken)
    {
        // Only the update that ends it: a running build is updated with every phase.
        var wasRunning = build.IsFinished && await inner.FindAsync(build.Id, CancellationToken.None) is { IsFinished: false };
        await inner.UpdateAsync(build, cancellationToken);
        if (wasRunning) await RecordEndAsync(build);
    }

    private Task RecordEndAsync(Build build)
    {
        var commit = build.ShortSha is { } sha ? $" ({sha})" : "";
        var (kind, summary) = build.Status switch
        {
            BuildStatus.Succeeded => (FleetEventKind.BuildSucceeded, $"build of {build.Requested}{commit} succeeded"),
            BuildStatus.Reused => (FleetEventKind.BuildSucceeded, $"build of {build.Requested}{commit} reused an earlier image"),
            BuildStatus.Cancelled => (FleetEventKind.BuildFailed, $"build of {build.Requested}{commit} was cancelled"),
            BuildStatus.Interrupted => (FleetEventKind.BuildFailed, $"build of {build.Requested}{commit} was interrupted: its panel stopped"),
            _ => (FleetEventKind.BuildFailed, $"build of {build.Requested}{commit} failed" + (build.Error is { Length: > 0 } e ? $": {e}" : "")),
        };
        return timeline.RecordAsync(Entry(build, kind, summary, build.FinishedAt ?? timeline.Now));
    }

    private static FleetEvent Entry(Build build, FleetEventKind kind, string summary, DateTimeOffset at) => new()
    {
        At = at, Kind = kind, Summary = summary, Service = build.Service, BuildId = build.Id, Actor = build.RequestedBy, Node = build.Node,
    };

    public Task<Build?> FindAsync(Guid id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);
    public Task<IReadOnlyList<Build>> ListAsync(string? service, int limit, CancellationToken cancellationToken) => inner.ListAsync(service, limit, cancellationToken);
    public Task<Build?> FindReusableAsync(string service, string settingsFingerprint, string commitSha, CancellationToken cancellationToken) => inner.FindReusableAsync(service, settingsFingerprint, commitSha, cancellationToken);
    public Task<IReadOnlyList<Build>> FindByDigestsAsync(IReadOnlyCollection<string> digests, CancellationToken cancellationToken) => inner.FindByDigestsAsync(digests, cancellationToken);
    public Task TouchAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken) => inner.TouchAsync(id, at, cancellationToken);
    public Task<int> MarkInterruptedAsync(DateTimeOffset before, IReadOnlyCollection<Guid> alive, CancellationToken cancellationToken) => inner.MarkInterruptedAsync(before, alive, cancellationToken);
    public Task SaveLogAsync(Guid id, string fullLog, int keptTail, CancellationToken cancellationToken) => inner.SaveLogAsync(id, fullLog, keptTail, cancellationToken);
    public Task<string?> ReadLogAsync(Guid id, CancellationToken cancellationToken) => inner.ReadLogAsync(id, cancellationToken);
}
