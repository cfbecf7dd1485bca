using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Web.Security;

public static class AuthenticationSetup
{
    private const string CookieOrToken = "CookieOrToken";

    public static IServiceCollection AddControlPanelAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(CookieOrToken)
            // One default scheme: a Bearer header means an API token, anything else the sign-in cookie.
            .AddPolicyScheme(CookieOrToken, CookieOrToken, o => o.ForwardDefaultSelector = context =>
                NeedsToken(context.Request) ? ApiTokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "cp.auth";
            o.Cookie.HttpOnly = true;
            // Secure whenever the panel is served over HTTPS (always, in production behind TLS).
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        // Cookies are re-checked against the user (disabled, role changed) this often.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidatingUserStateProvider.Interval);
        services.AddAuthorization(o => o.AddPermissionPolicies());
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddSingleton(sp => new Core.Audit.RefusalTally(sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<RefusalAuditFlusher>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingUserStateProvider>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address: 10 sign-in attempts a minute. Per account, Identity's lockout applies.
            o.AddPolicy(AccountEndpoints.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cp.af";
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// <summary>
    /// A Bearer header, or any API call that changes something: the pages never make those, so a browser's sign-in
    /// cookie alone is refused there (401), and no other site — not even a sibling subdomain — can forge one.
    /// </summary>
    private static bool NeedsToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        || (request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method));
}
