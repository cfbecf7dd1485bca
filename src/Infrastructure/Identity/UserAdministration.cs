using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Identity;

/// <summary>Users through ASP.NET Core Identity; each change and its audit row commit in one transaction.</summary>
public sealed class UserAdministration(
    ControlPanelDbContext db,
    UserManager<ControlPanelUser> users,
    ICurrentActor actor,
    TimeProvider time) : IUserAdministration
{
    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var result = new List<UserInfo>(all.Count);
        foreach (var u in all) result.Add(await ToInfoAsync(u, cancellationToken));
        return result;
    }

    public async Task<UserInfo> CreateAsync(string userName, string password, Role role, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName)) throw new InvalidRequestException("userName", "A user name is required.");
        return await InTransactionAsync("user.create", userName, $"role={role}", async () =>
        {
            var user = new ControlPanelUser { UserName = userName.Trim(), CreatedAt = time.GetUtcNow() };
            Check(await users.CreateAsync(user, password), "password");
            Check(await users.AddToRoleAsync(user, role.ToString()), "role");
            return await ToInfoAsync(user, cancellationToken);
        }, cancellationToken);
    }

    public Task SetRoleAsync(string userName, Role role, CancellationToken cancellationToken) =>
        InTransactionAsync("user.role", userName, $"role={role}", async () =>
        {
            var user = await RequireAsync(userName);
            Check(await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user)), "role");
            Check(await users.AddToRoleAsync(user, role.ToString()), "role");
            // A new stamp makes open pages and cookies re-check the user at their next validation.
            Check(await users.UpdateSecurityStampAsync(user), "role");
            return true;
        }, cancellationToken);

    public Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken) =>
        InTransactionAsync(disabled ? "user.disable" : "user.enable", userName, null, async () =>
        {
            var user = await RequireAsync(userName);
            user.IsDisabled = disabled;
            Check(await users.UpdateAsync(user), "user");
            Check(await users.UpdateSecurityStampAsync(user), "user");
            return true;
        }, cancellationToken);

    public async Task<bool> AnyAdminAsync(CancellationToken cancellationToken) =>
        (await users.GetUsersInRoleAsync(Role.Admin.ToString())).Any(u => !u.IsDisabled);

    private async Task<T> InTransactionAsync<T>(string action, string target, string? detail, Func<Task<T>> change, CancellationToken cancellationToken)
    {
        var who = await actor.GetAsync(cancellationToken);
        if (!who.Can(Permission.Administer)) throw new PermissionDeniedException(Permission.Administer, who.Name);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await change();
        db.AuditEntries.Add(EfAuditLog.ToRecord(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = action,
            Target = target, Detail = detail, Succeeded = true, Duration = TimeSpan.Zero,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<ControlPanelUser> RequireAsync(string userName) =>
        await users.FindByNameAsync(userName) ?? throw new InvalidRequestException("userName", $"There is no user '{userName}'.");

    private async Task<UserInfo> ToInfoAsync(ControlPanelUser u, CancellationToken cancellationToken)
    {
        var roles = await UserRoles.OfAsync(db, u.Id, cancellationToken);
        return new UserInfo(u.UserName!, roles.Count == 0 ? Role.Viewer : roles.Max(), u.IsDisabled,
            u.LockoutEnd is { } end && end > time.GetUtcNow() ? end : null);
    }

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded) throw new InvalidRequestException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
