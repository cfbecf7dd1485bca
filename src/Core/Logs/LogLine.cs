namespace ControlPanel.Core.Logs;

public enum LogStream
{
    Stdout = 1,
    Stderr = 2,
}

/// <summary>One line of a container's log, as the engine timestamped it.</summary>
/// <param name="Truncated">The line was longer than the panel keeps; the engine still has all of it.</param>
public sealed record LogLine(string Node, string ContainerId, LogStream Stream, DateTimeOffset Timestamp, string Text, bool Truncated = false);

/// <summary>Which part of a log to read. <see cref="Tail"/> and <see cref="Since"/> pick the start; <see cref="Follow"/> keeps reading.</summary>
public sealed record LogQuery(int? Tail = 100, DateTimeOffset? Since = null, DateTimeOffset? Until = null, bool Follow = true)
{
    public const int MaxTail = 100_000;

    /// <summary>Throws <see cref="Common.InvalidRequestException"/> naming the field that is wrong.</summary>
    public LogQuery Validated()
    {
        if (Tail is < 0 or > MaxTail) throw new Common.InvalidRequestException("tail", $"'tail' must be between 0 and {MaxTail}; got {Tail}.");
        if (Since is { } s && Until is { } u && s > u)
            throw new Common.InvalidRequestException("since", $"'since' ({s:u}) is after 'until' ({u:u}); nothing can match.");
        if (Follow && Until is not null) throw new Common.InvalidRequestException("until", "'until' cannot be combined with following the log.");
        return this;
    }
}
