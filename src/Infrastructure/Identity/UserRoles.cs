using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Identity;

internal static class UserRoles
{
    /// <summary>The user's roles as Core's enum; unknown role names in the database are ignored, never granted.</summary>
    public static async Task<IReadOnlySet<Role>> OfAsync(ControlPanelDbContext db, string userId, CancellationToken cancellationToken)
    {
        var names = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name).ToListAsync(cancellationToken);
        return names.Select(n => RolePermissions.TryParse(n, out var role) ? role : (Role?)null).OfType<Role>().ToHashSet();
    }
}
