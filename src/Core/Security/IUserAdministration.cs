namespace ControlPanel.Core.Security;

/// <summary>Users and their roles, for the Users page and the `admin create` command. Every change is audited.</summary>
public interface IUserAdministration
{
    Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Common.InvalidRequestException"/> naming the field when the name is taken or the password too weak.</summary>
    Task<UserInfo> CreateAsync(string userName, string password, Role role, CancellationToken cancellationToken);

    Task SetRoleAsync(string userName, Role role, CancellationToken cancellationToken);

    /// <summary>A disabled user cannot sign in, their tokens stop working and their open pages are cut.</summary>
    Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken);

    Task<bool> AnyAdminAsync(CancellationToken cancellationToken);
}

public sealed record UserInfo(string UserName, Role Role, bool Disabled, DateTimeOffset? LockedOutUntil);
