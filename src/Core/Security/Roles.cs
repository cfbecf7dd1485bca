namespace ControlPanel.Core.Security;

/// <summary>What a user may do. Each role includes everything the roles before it may do.</summary>
public enum Role
{
    Viewer = 1,
    Operator = 2,
    Deployer = 3,
    Admin = 4,
}

/// <summary>The unit the server checks: every page, endpoint and hub method demands exactly one.</summary>
public enum Permission
{
    /// <summary>See nodes, containers and the audit log (not secrets).</summary>
    ViewFleet,
    ReadLogs,
    /// <summary>Start, stop, restart, kill and remove containers.</summary>
    OperateContainers,
    /// <summary>Builds, releases, deployments, rollbacks.</summary>
    Deploy,
    /// <summary>Nodes, registries, users and settings.</summary>
    Administer,
    /// <summary>One's own API tokens (every signed-in user).</summary>
    ManageOwnTokens,
}

/// <summary>The role matrix, in one place: pages, API, hubs and Core services all ask it.</summary>
public static class RolePermissions
{
    private static readonly Dictionary<Permission, Role> Minimum = new()
    {
        [Permission.ViewFleet] = Role.Viewer,
        [Permission.ReadLogs] = Role.Viewer,
        [Permission.ManageOwnTokens] = Role.Viewer,
        [Permission.OperateContainers] = Role.Operator,
        [Permission.Deploy] = Role.Deployer,
        [Permission.Administer] = Role.Admin,
    };

    public static Role MinimumRole(Permission permission) => Minimum[permission];

    public static bool Allows(Role role, Permission permission) => role >= Minimum[permission];

    public static bool Allows(IEnumerable<Role> roles, Permission permission) => roles.Any(r => Allows(r, permission));

    /// <summary>The roles among these names; unknown names are ignored, never granted.</summary>
    public static IReadOnlySet<Role> Parse(IEnumerable<string?> names) =>
        names.Select(n => TryParse(n, out var role) ? role : (Role?)null).OfType<Role>().ToHashSet();

    public static bool TryParse(string? name, out Role role) =>
        Enum.TryParse(name, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(name, out _);
}
