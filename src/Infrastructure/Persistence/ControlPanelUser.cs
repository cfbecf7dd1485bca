using ControlPanel.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>A panel user (ASP.NET Core Identity). Disabling keeps the row, and with it the audit trail's names.</summary>
public sealed class ControlPanelUser : IdentityUser
{
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public ThemePreference ThemePreference { get; set; }
}
