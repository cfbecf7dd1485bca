using Microsoft.AspNetCore.Diagnostics;

namespace ControlPanel.Web.Hosting;

/// <summary>
/// Error statuses without a body get one: a browser asking for a page sees the panel's not-found page (with the
/// status kept), everything else (the API under /api, hubs, scripts) gets problem details as before.
/// </summary>
public static class NotFoundPages
{
    public const string Path = "/not-found";

    public static WebApplication UseNotFoundPages(this WebApplication app)
    {
        // Each status-code middleware answers only when its own feature stays enabled, so each is switched off for
        // the requests the other one serves. (Not UseWhen: re-executing needs the app's own router, which a branch lacks.)
        app.UseStatusCodePagesWithReExecute(Path, createScopeForStatusCodePages: true);
        app.Use((context, next) => SwitchOffUnless(context, WantsPage(context), next));
        app.UseStatusCodePages();
        app.Use((context, next) => SwitchOffUnless(context, !WantsPage(context), next));
        return app;
    }

    private static Task SwitchOffUnless(HttpContext context, bool serves, Func<Task> next)
    {
        if (!serves && context.Features.Get<IStatusCodePagesFeature>() is { } feature) feature.Enabled = false;
        return next();
    }

    /// <summary>A browser navigating: GET or HEAD, HTML accepted, and not a path of the API or of Blazor's own plumbing.</summary>
    private static bool WantsPage(HttpContext context)
    {
        var request = context.Request;
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
               && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
               && !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/hubs")
               && !request.Path.StartsWithSegments("/_blazor") && !request.Path.StartsWithSegments("/_framework");
    }
}
