using System.Collections.Concurrent;
using System.Security.Claims;
using ControlPanel.Core.Security;

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
        // A scope per check: this object lives as long as the app, the store's database context for one query.
        await using var scope = scopes.CreateAsyncScope();
        var valid = await scope.ServiceProvider.GetRequiredService<ICredentialStatus>().IsActiveAsync(name, key.Token, cancellationToken);
        _checked[key] = (now, valid);
        return valid;
    }
}
