namespace ControlPanel.Core.Logs;

/// <summary>
/// What a viewer receives, at most every ~100 ms: new lines, how many lines were skipped because
/// the viewer fell behind (exact), and a note when the source changed (restarted, removed, node lost).
/// </summary>
public sealed record LogBatch(IReadOnlyList<LogLine> Lines, long Skipped, string? Note, bool Ended)
{
    public static LogBatch Notice(string note, bool ended) => new([], 0, note, ended);
}
