using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Identity;

/// <summary>Reads the user and token rows Identity and <see cref="ApiTokenService"/> keep.</summary>
public sealed class CredentialStatus(UserManager<ControlPanelUser> users, ControlPanelDbContext db, TimeProvider time) : ICredentialStatus
{
    public async Task<bool> IsActiveAsync(string userName, string? tokenId, CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(userName) is not { IsDisabled: false }) return false;
        if (tokenId is null) return true;
        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        return token is { RevokedAt: null } && token.ExpiresAt > time.GetUtcNow(); // compared here: SQLite cannot order DateTimeOffset
    }
}
