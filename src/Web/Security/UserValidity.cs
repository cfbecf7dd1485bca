using System.Collections.Concurrent;
using System.Security.Claims;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Web.Security;

/// <summary>
/// Whether a long-lived connection's user may still be served: exists and is not disabled, and when it came with an
/// API token, that token is neither revoked nor expired. Checked at most every
/// <see cref="RevalidatingUserStateProvider.Interval"/> per user and token, so streams cost no query per batch.
/// </summary>
public sealed class UserValidity(IServiceScopeFactory scopes, TimeProvider time)
{
    public const string SignedOut = "You were signed out; this stream has ended.";

    private readonly ConcurrentDictionary<(string User, string? Token), (DateTimeOffset CheckedAt, bool Valid)> _checked = new();

    public async Task<bool> IsStillValidAsync(ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        var name = user?.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
        if (name is null) return false;
        var key = (User: name, Token: user!.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)?.Value);
        var now = time.GetUtcNow();
        if (_checked.TryGetValue(key, out var last) && now - last.CheckedAt < RevalidatingUserStateProvider.Interval) return last.Valid;
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<UserManager<ControlPanelUser>>().FindByNameAsync(name);
        var valid = found is { IsDisabled: false } && (key.Token is not { } tokenId || await TokenActiveAsync(scope, tokenId, now, cancellationToken));
        _checked[key] = (now, valid);
        return valid;
    }

    private static async Task<bool> TokenActiveAsync(AsyncServiceScope scope, string tokenId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = await scope.ServiceProvider.GetRequiredService<ControlPanelDbContext>().ApiTokens.AsNoTracking()
            .SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        return token is { RevokedAt: null } && token.ExpiresAt > now; // compared here: SQLite cannot order DateTimeOffset
    }
}
