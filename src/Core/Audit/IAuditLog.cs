namespace ControlPanel.Core.Audit;

/// <summary>Append-only record of actions. There is deliberately no update or delete.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries matching the query, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Who is acting. Until sign-in exists this is the local operator; later, the signed-in user.</summary>
public interface ICurrentActor
{
    string Name { get; }
    string? ClientAddress { get; }
}
