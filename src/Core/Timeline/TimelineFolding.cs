namespace ControlPanel.Core.Timeline;

/// <summary>
/// What storing an entry does: insert it, or fold it into an entry of the same container (a crash loop or a
/// health flap) that is updated, absorbing the single entries the fold replaces.
/// </summary>
/// <param name="Insert">The entry to add, if any.</param>
/// <param name="Update">The stored entry to change (same id), if any.</param>
/// <param name="Absorbed">Ids of stored entries the new folded entry replaces.</param>
public sealed record TimelineFold(FleetEvent? Insert, FleetEvent? Update, IReadOnlyList<long> Absorbed)
{
    /// <summary>The stored entry the new one was folded into without changing it (nothing to store or publish).</summary>
    public FleetEvent? Unchanged { get; init; }

    /// <summary>The entry as stored, for callers.</summary>
    public FleetEvent Result => Insert ?? Update ?? Unchanged ?? throw new InvalidOperationException("A fold has a result.");
}

/// <summary>
/// The folding rules: N restarts of one container within M minutes become one crash loop entry that counts
/// further restarts (and swallows the deaths between them); K health changes within a window become one health
/// flap entry. Pure, so the rules are tested without a database.
/// </summary>
public sealed class TimelineFolding(TimelineOptions options)
{
    /// <summary>How far back <see cref="Fold"/> needs to see the container's entries.</summary>
    public TimeSpan Lookback => options.CrashLoopWindow > options.HealthFlapWindow ? options.CrashLoopWindow : options.HealthFlapWindow;

    /// <param name="recent">The same container's stored entries that ended within <see cref="Lookback"/> of the entry.</param>
    public TimelineFold Fold(FleetEvent entry, IReadOnlyList<FleetEvent> recent)
    {
        if (entry.ContainerId is null) return new(entry, null, []);
        var crashLoop = Open(recent, FleetEventKind.CrashLoop, entry.At, options.CrashLoopWindow);
        switch (entry.Kind)
        {
            case FleetEventKind.ContainerRestarted when crashLoop is not null:
                return new(null, WithCount(crashLoop, crashLoop.Count + 1, entry.At), []);
            case FleetEventKind.OomKilled:
                // Never swallowed by a crash loop (alerts and Top's mark need it): repeated kills count on one entry.
                return Open(recent, FleetEventKind.OomKilled, entry.At, options.CrashLoopWindow) is { } oom
                    ? new(null, WithCount(oom, oom.Count + 1, entry.At), [])
                    : new(entry, null, []);
            case FleetEventKind.ContainerDied when crashLoop is not null:
                // One more death of a looping container says nothing new, unless it died differently.
                var changed = entry.ExitCode is { } code && code != crashLoop.ExitCode;
                var died = crashLoop with { ExitCode = entry.ExitCode ?? crashLoop.ExitCode };
                return changed ? new(null, died with { Summary = CrashLoopSummary(died) }, []) : new(null, null, []) { Unchanged = crashLoop };
            case FleetEventKind.ContainerRestarted:
                return FoldRestart(entry, recent);
            case FleetEventKind.HealthChanged:
                return FoldHealth(entry, recent);
            default:
                return new(entry, null, []);
        }
    }

    private TimelineFold FoldRestart(FleetEvent entry, IReadOnlyList<FleetEvent> recent)
    {
        var from = entry.At - options.CrashLoopWindow;
        var restarts = recent.Where(e => e.Kind == FleetEventKind.ContainerRestarted && e.At >= from).ToList();
        if (restarts.Count + 1 < options.CrashLoopRestarts) return new(entry, null, []);
        var deaths = recent.Where(e => e.Kind == FleetEventKind.ContainerDied && e.At >= from).ToList();
        var absorbed = restarts.Concat(deaths).ToList();
        var loop = entry with
        {
            Id = 0,
            Kind = FleetEventKind.CrashLoop,
            At = absorbed.Select(e => e.At).Append(entry.At).Min(),
            ExitCode = deaths.OrderByDescending(e => e.At).Select(e => e.ExitCode).FirstOrDefault(c => c is not null) ?? entry.ExitCode,
            Count = restarts.Count + 1,
            LastAt = entry.At,
        };
        return new(loop with { Summary = CrashLoopSummary(loop) }, null, absorbed.Select(e => e.Id).ToList());
    }

    private TimelineFold FoldHealth(FleetEvent entry, IReadOnlyList<FleetEvent> recent)
    {
        if (Open(recent, FleetEventKind.HealthFlap, entry.At, options.HealthFlapWindow) is { } flap)
        {
            var grown = WithCount(flap, flap.Count + 1, entry.At);
            return new(null, grown with { Summary = HealthFlapSummary(grown, entry.Summary) }, []);
        }
        var changes = recent.Where(e => e.Kind == FleetEventKind.HealthChanged && e.At >= entry.At - options.HealthFlapWindow).ToList();
        if (changes.Count + 1 < options.HealthFlapChanges) return new(entry, null, []);
        var folded = entry with
        {
            Id = 0,
            Kind = FleetEventKind.HealthFlap,
            At = changes.Select(e => e.At).Append(entry.At).Min(),
            Count = changes.Count + 1,
            LastAt = entry.At,
        };
        return new(folded with { Summary = HealthFlapSummary(folded, entry.Summary) }, null, changes.Select(e => e.Id).ToList());
    }

    private static FleetEvent? Open(IReadOnlyList<FleetEvent> recent, FleetEventKind kind, DateTimeOffset at, TimeSpan window) =>
        recent.Where(e => e.Kind == kind && (e.LastAt ?? e.At) >= at - window).OrderByDescending(e => e.LastAt ?? e.At).FirstOrDefault();

    private static FleetEvent WithCount(FleetEvent folded, int count, DateTimeOffset last)
    {
        var grown = folded with { Count = count, LastAt = last > (folded.LastAt ?? folded.At) ? last : folded.LastAt };
        return grown.Kind switch
        {
            FleetEventKind.CrashLoop => grown with { Summary = CrashLoopSummary(grown) },
            FleetEventKind.OomKilled => grown with { Summary = $"OOM killed {grown.Count} times in {Span(grown)} (exit code {grown.ExitCode})" },
            _ => grown,
        };
    }

    public static string CrashLoopSummary(FleetEvent loop) =>
        $"restarted {loop.Count} times in {Span(loop)}" + (loop.ExitCode is { } code ? $" (last exit code {code})" : "");

    private static string HealthFlapSummary(FleetEvent flap, string latest) =>
        $"health changed {flap.Count} times in {Span(flap)}; latest: {latest}";

    /// <summary>"40 s", "4 min", "2 h": how long a folded entry has lasted, in a person's words.</summary>
    public static string Span(FleetEvent folded)
    {
        var span = (folded.LastAt ?? folded.At) - folded.At;
        if (span < TimeSpan.FromMinutes(1)) return $"{Math.Max(1, (int)Math.Round(span.TotalSeconds))} s";
        if (span < TimeSpan.FromHours(1)) return $"{(int)Math.Round(span.TotalMinutes)} min";
        return $"{span.TotalHours:0.#} h";
    }
}
