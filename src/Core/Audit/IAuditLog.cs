namespace ControlPanel.Core.Audit;

/// <summary>Append-only record of actions. There is deliberately no update or delete.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries matching the query, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Who is acting in this request or circuit: the signed-in user or the API token's owner.</summary>
public interface ICurrentActor
{
    Task<Security.Actor> GetAsync(CancellationToken cancellationToken);
}
