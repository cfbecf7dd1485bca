namespace ControlPanel.Core.Audit;

/// <summary>Append-only record of actions. There is deliberately no update or delete.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Records an action as pending before its side effect and returns the entry's id. When this throws, the
    /// caller must not act: an action must never happen without a row saying it was attempted.
    /// </summary>
    Task<long> BeginAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Records how the begun entry <paramref name="id"/> ended (Succeeded, Error, Duration and Detail of
    /// <paramref name="outcome"/>) as a second row referring to it: rows are never changed, and a second
    /// outcome for the same entry is refused. Queries show the two as one entry, with the outcome's detail when it
    /// has one (the begun detail restated with what the action found, such as a stop that had to kill).
    /// </summary>
    Task CompleteAsync(long id, AuditEntry outcome, CancellationToken cancellationToken);

    /// <summary>Entries matching the query, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Who is acting in this request or circuit: the signed-in user or the API token's owner.</summary>
public interface ICurrentActor
{
    Task<Security.Actor> GetAsync(CancellationToken cancellationToken);
}
