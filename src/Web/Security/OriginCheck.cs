using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Security;

/// <summary>
/// Live connections (the hubs and Blazor's circuit) opened by a browser must come from the panel's own pages.
/// SameSite=Strict keeps the sign-in cookie from other sites, but a sibling subdomain or another port on the same
/// host is the same site: its page could open a WebSocket with the cookie and read logs or drive the UI. Browsers
/// always send Origin on WebSocket handshakes and cross-origin requests, and a page cannot forge it. A request with
/// an API token (a header no other site can make a browser send) needs no check; so does one without Origin (not a
/// browser's cross-site request).
/// </summary>
public static class OriginCheck
{
    private static readonly string[] Guarded = ["/hubs", "/_blazor"];

    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (Guarded.Any(p => request.Path.StartsWithSegments(p)) && request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !IsOwn(origin, request, context.RequestServices.GetRequiredService<IOptions<ProxyOptions>>().Value))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 403, Title = "Cross-site connection refused",
                Detail = "Live connections are accepted only from the panel's own pages (ControlPanel:Http:AllowedOrigins lists its public addresses).",
            }, options: null, contentType: "application/problem+json");
            return;
        }
        await next();
    });

    /// <summary>scheme://host[:port] in lower case with the default port left out; null when it is not an origin.</summary>
    public static string? Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;

    private static bool IsOwn(string origin, HttpRequest request, ProxyOptions options)
    {
        var normalized = Normalize(origin);
        if (normalized is null) return false;
        var own = Normalize($"{request.Scheme}://{request.Host.Value}");
        return normalized == own || options.AllowedOrigins.Any(a => Normalize(a) == normalized);
    }
}
