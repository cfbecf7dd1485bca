using ControlPanel.Core.Common;

namespace ControlPanel.Core.Audit;

/// <summary>The audit log could not be written before an action, so the action was not carried out.</summary>
public sealed class AuditLogUnavailableException(string action, Exception inner)
    : ControlPanelException($"The audit log could not be written, so {action} was not carried out. Check the panel's database.", inner)
{
    public string Action { get; } = action;
}
