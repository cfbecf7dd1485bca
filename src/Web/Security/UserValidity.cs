using System.Collections.Concurrent;
using System.Security.Claims;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Web.Security;

/// <summary>
/// Whether a long-lived connection's user may still be served: exists and is not disabled. Checked at
/// most every <see cref="RevalidatingUserStateProvider.Interval"/> per user, so streams cost no query per batch.
/// </summary>
public sealed class UserValidity(IServiceScopeFactory scopes, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset CheckedAt, bool Valid)> _checked = new();

    public async Task<bool> IsStillValidAsync(ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        var name = user?.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
        if (name is null) return false;
        var now = time.GetUtcNow();
        if (_checked.TryGetValue(name, out var last) && now - last.CheckedAt < RevalidatingUserStateProvider.Interval) return last.Valid;
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<UserManager<ControlPanelUser>>().FindByNameAsync(name);
        var valid = found is { IsDisabled: false };
        _checked[name] = (now, valid);
        return valid;
    }
}
