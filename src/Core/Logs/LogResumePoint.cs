namespace ControlPanel.Core.Logs;

/// <summary>
/// Where a follower picks a log up again after the engine closed its stream: at the engine's timestamp of the last
/// line received. The engine's 'since' includes that moment, and several lines can share one timestamp (to our
/// 100 ns), so on resuming the lines already received at exactly that timestamp are skipped once each, and only those.
/// </summary>
internal sealed class LogResumePoint
{
    private readonly List<(LogStream Stream, string Text)> _atLast = [];
    private readonly List<(LogStream Stream, string Text)> _resent = [];

    /// <summary>The engine's timestamp of the last line received; null before the first.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>A new stream from <see cref="Since"/> begins: it starts with lines already received.</summary>
    public void Resuming()
    {
        _resent.Clear();
        _resent.AddRange(_atLast);
    }

    /// <summary>True when <paramref name="line"/> was received before (the new stream's start); otherwise records it.</summary>
    public bool Repeats(LogLine line)
    {
        if (Since is not { } last || line.Timestamp > last)
        {
            Since = line.Timestamp;
            _atLast.Clear();
            _resent.Clear(); // past the resume moment: nothing after it was received before
        }
        else if (line.Timestamp < last)
        {
            return false; // out of the engine's order: shown, but not where to resume
        }
        else if (_resent.Remove((line.Stream, line.Text)))
        {
            return true;
        }
        _atLast.Add((line.Stream, line.Text));
        return false;
    }
}
