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
}
