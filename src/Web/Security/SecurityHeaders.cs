using ControlPanel.Web.Components.Layout;

namespace ControlPanel.Web.Security;

/// <summary>
/// Headers on every response. The CSP allows scripts from this origin and one inline script, the page's boot script,
/// by its hash (Blazor Server needs no other); styles allow 'unsafe-inline' because MudBlazor sets style attributes
/// at run time.
/// </summary>
public static class SecurityHeaders
{
    private const string PolicyAfterConnect = "; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// The policy for a page served at <paramref name="scheme"/>://<paramref name="host"/>. Scripts may connect only
    /// to this origin: browsers before CSP 3 do not count ws:/wss: as 'self', so the WebSocket form of the same
    /// origin is named too — never bare <c>ws:</c>/<c>wss:</c>, which would let an injected script reach any host.
    /// </summary>
    /// <param name="bootScript">The CSP source of the boot script (<see cref="BootScript.CspSource"/>).</param>
    public static string ContentSecurityPolicy(string scheme, string host, string bootScript)
    {
        var webSocket = scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        // Defence in depth: a host that is not a plain name[:port] must not add directives to the policy.
        var sameOrigin = host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']') ? $" {webSocket}://{host}" : "";
        return $"default-src 'self'; script-src 'self' {bootScript}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            $"connect-src 'self'{sameOrigin}{PolicyAfterConnect}";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var bootScript = app.ApplicationServices.GetRequiredService<BootScript>();
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request.Scheme, context.Request.Host.Value ?? "localhost", bootScript.CspSource);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            await next();
        });
    }
}
