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

/// <summary>
/// <paramref name="Count"/> lines skipped between <paramref name="From"/> (the last line delivered before them) and
/// <paramref name="To"/> (the first line delivered after them, or the last skipped line when the log went quiet);
/// the engine still has them. Delivered lines may share the boundary timestamps.
/// </summary>
public sealed record LogGap(DateTimeOffset From, DateTimeOffset To, long Count);
