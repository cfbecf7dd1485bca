namespace ControlPanel.Core.Audit;

/// <summary>One recorded action: who did what to which target, when, and how it went.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public string? ClientAddress { get; init; }
    /// <summary>e.g. container.restart</summary>
    public required string Action { get; init; }
    public string? Node { get; init; }
    /// <summary>What was acted on, e.g. a container id or name.</summary>
    public required string Target { get; init; }
    /// <summary>Parameters that matter for the record, e.g. "signal=SIGQUIT timeout=5s".</summary>
    public string? Detail { get; init; }
    public required bool Succeeded { get; init; }
    public string? Error { get; init; }
    public required TimeSpan Duration { get; init; }
    /// <summary>How many occurrences this row stands for: 1, except for rows that aggregate repeated refusals of one client.</summary>
    public int Count { get; init; } = 1;
    /// <summary>Recorded before its side effect and no outcome recorded since: it may or may not have happened.</summary>
    public bool Pending { get; init; }
}

/// <summary>Filters for the audit page and API; newest first.</summary>
public sealed record AuditQuery
{
    public string? Text { get; init; }
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? Node { get; init; }
    public bool? Succeeded { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public int Limit { get; init; } = 200;
}
