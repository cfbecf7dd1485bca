using ControlPanel.Core.Security;
using Microsoft.AspNetCore.Authorization;

namespace ControlPanel.Web.Security;

/// <summary>One authorization policy per Core permission, named "perm:&lt;Permission&gt;".</summary>
public static class Policies
{
    public const string Prefix = "perm:";
    public const string ViewFleet = Prefix + nameof(Permission.ViewFleet);
    public const string ReadLogs = Prefix + nameof(Permission.ReadLogs);
    public const string OperateContainers = Prefix + nameof(Permission.OperateContainers);
    public const string Deploy = Prefix + nameof(Permission.Deploy);
    public const string Administer = Prefix + nameof(Permission.Administer);
    public const string ManageOwnTokens = Prefix + nameof(Permission.ManageOwnTokens);

    public static string For(Permission permission) => Prefix + permission;

    public static bool TryParse(string? policy, out Permission permission)
    {
        permission = default;
        return policy is not null && policy.StartsWith(Prefix, StringComparison.Ordinal) && Enum.TryParse(policy[Prefix.Length..], out permission);
    }

    public static void AddPermissionPolicies(this AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            options.AddPolicy(For(permission), p => p.RequireAuthenticatedUser().RequireAssertion(ctx =>
                RolePermissions.Allows(RolePermissions.Parse(ctx.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value)), permission)));
        }
        // Deny by default: an endpoint or page that names no policy still needs a signed-in user,
        // and the role-matrix test fails for it.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
