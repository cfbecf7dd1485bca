namespace ControlPanel.Core.Logs;

/// <summary>
/// What a viewer receives, at most every ~100 ms: new lines, how many lines were skipped because
/// the viewer fell behind (exact), and a note when the source changed (restarted, removed, node lost).
/// </summary>
public sealed record LogBatch(IReadOnlyList<LogLine> Lines, long Skipped, string? Note, bool Ended)
{
    /// <summary>Where the skipped lines were: each run of them lies strictly between two timestamps.</summary>
    public IReadOnlyList<LogGap> Gaps { get; init; } = [];

    public static LogBatch Notice(string note, bool ended) => new([], 0, note, ended);
}

/// <summary><paramref name="Count"/> lines skipped after the line at <paramref name="From"/> and before the one at <paramref name="To"/>; the engine still has them.</summary>
public sealed record LogGap(DateTimeOffset From, DateTimeOffset To, long Count);
