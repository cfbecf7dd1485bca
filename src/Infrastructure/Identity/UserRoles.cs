using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Identity;

internal static class UserRoles
{
    /// <summary>The user's roles as Core's enum (see <see cref="RolePermissions.Parse"/>).</summary>
    public static async Task<IReadOnlySet<Role>> OfAsync(ControlPanelDbContext db, string userId, CancellationToken cancellationToken)
    {
        var names = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name).ToListAsync(cancellationToken);
        return RolePermissions.Parse(names);
    }
}
