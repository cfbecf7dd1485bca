namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Row shape of an audit entry; mapped to and from Core's AuditEntry in <see cref="EfAuditLog"/>.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public string? ClientAddress { get; set; }
    public string Action { get; set; } = "";
    public string? Node { get; set; }
    public string Target { get; set; } = "";
    public string? Detail { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
    public long DurationMs { get; set; }
    public int Count { get; set; } = 1;
    /// <summary>Written before its action's side effect; the outcome is a later row with <see cref="CompletesId"/>.</summary>
    public bool Pending { get; set; }
    /// <summary>On an outcome row: the id of the pending row it completes.</summary>
    public long? CompletesId { get; set; }
}
