using ControlPanel.Core.Audit;
using ControlPanel.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace ControlPanel.Web.Security;

/// <summary>
/// For /api: 401 and 403 as problem details (no redirect to a sign-in page), the 403 naming the
/// missing permission, and every refused attempt audited: a user's 403 one row each (attributable, and the
/// account can be disabled), anonymous 401s counted per client and minute (<see cref="RefusalTally"/>) and
/// answered 429 past the limit. Pages keep the default redirects.
/// </summary>
public sealed class ApiAuthorizationResultHandler(IAuditLog audit, RefusalTally anonymous, TimeProvider time) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!context.Request.Path.StartsWithSegments("/api") || result.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }
        var permission = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => Policies.TryParse(a.Policy, out var p) ? p : (Permission?)null).LastOrDefault(p => p is not null);
        var actor = CurrentActor.FromPrincipal(context.User, context.Connection.RemoteIpAddress?.ToString());
        var forbidden = result.Forbidden && actor.IsAuthenticated;
        var verdict = forbidden ? RefusalVerdict.Record : anonymous.Count(actor.ClientAddress, $"{context.Request.Method} {context.Request.Path}");
        if (verdict == RefusalVerdict.Throttled)
        {
            await TooManyAsync(context);
            return;
        }
        var problem = forbidden
            ? new ProblemDetails
            {
                Status = 403, Title = "Forbidden",
                Detail = permission is { } p ? $"This needs the permission {p} (role {RolePermissions.MinimumRole(p)} or higher)." : "This is not allowed for your role.",
            }
            : new ProblemDetails { Status = 401, Title = "Unauthorized", Detail = "Sign in, or send a valid API token as 'Authorization: Bearer <token>'." };
        if (permission is { } missing && forbidden) problem.Extensions["missingPermission"] = missing.ToString();
        if (verdict == RefusalVerdict.Record) await audit.RecordAsync(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = actor.Name, ClientAddress = actor.ClientAddress,
            Action = forbidden ? "access.denied" : RefusalTally.Action,
            Target = $"{context.Request.Method} {context.Request.Path}", Succeeded = false, Error = problem.Detail, Duration = TimeSpan.Zero,
        }, CancellationToken.None);
        context.Response.StatusCode = problem.Status!.Value;
        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }

    private async Task TooManyAsync(HttpContext context)
    {
        var wait = Math.Max(1, (int)Math.Ceiling((anonymous.MinuteEnds - time.GetUtcNow()).TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new ProblemDetails
        {
            Status = 429, Title = "Too many requests",
            Detail = $"More than {anonymous.LimitPerMinute} refused requests this minute from this address; sign in or send a valid API token.",
        }, options: null, contentType: "application/problem+json");
    }
}
