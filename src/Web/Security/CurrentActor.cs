using System.Security.Claims;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlPanel.Web.Security;

/// <summary>
/// The actor of this request or circuit. In a Blazor circuit the authentication state is the source
/// (there is no request); in an HTTP request, the request's user; for console commands, the override.
/// </summary>
public sealed class CurrentActor(IHttpContextAccessor http, IServiceProvider services, ActorOverride overridden) : ICurrentActor
{
    public async Task<Actor> GetAsync(CancellationToken cancellationToken)
    {
        if (overridden.Actor is { } fixedActor) return fixedActor;
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        var user = http.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated != true && services.GetService<AuthenticationStateProvider>() is { } provider)
        {
            try
            {
                user = (await provider.GetAuthenticationStateAsync()).User;
            }
            catch (InvalidOperationException)
            {
                // Not in a circuit: no authentication state to ask.
            }
        }
        return FromPrincipal(user, address);
    }

    public static Actor FromPrincipal(ClaimsPrincipal? user, string? address)
    {
        if (user?.Identity?.IsAuthenticated != true) return Actor.Anonymous(address);
        var roles = RolePermissions.Parse(user.FindAll(ClaimTypes.Role).Select(c => c.Value));
        return new Actor(user.Identity.Name ?? "unknown", address, roles, true);
    }
}

/// <summary>Set by console commands (admin create, token create), which act outside any request.</summary>
public sealed class ActorOverride
{
    public Actor? Actor { get; set; }
}
