namespace ControlPanel.Core.Security;

/// <summary>Who is acting: a signed-in user, a token's owner, or nobody.</summary>
public sealed record Actor(string Name, string? ClientAddress, IReadOnlySet<Role> Roles, bool IsAuthenticated)
{
    public static Actor Anonymous(string? clientAddress) => new("anonymous", clientAddress, new HashSet<Role>(), false);

    public bool Can(Permission permission) => IsAuthenticated && RolePermissions.Allows(Roles, permission);
}

/// <summary>A signed-in user (or token) lacks the permission an operation needs; names it.</summary>
public sealed class PermissionDeniedException(Permission permission, string actor)
    : Common.ControlPanelException($"'{actor}' lacks the permission {permission} (needs role {RolePermissions.MinimumRole(permission)} or higher).")
{
    public Permission Permission { get; } = permission;
}
