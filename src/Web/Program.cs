using ControlPanel.Core;
using ControlPanel.Infrastructure;
using ControlPanel.Web;
using ControlPanel.Web.Api;
using ControlPanel.Web.Components;
using ControlPanel.Web.Hosting;
using ControlPanel.Web.Security;
using ControlPanel.Web.Telemetry;

// `healthcheck` asks a running panel for /healthz (the container image has no curl).
if (CommandLine.IsCommand(args, "healthcheck")) return await CommandLine.HealthCheckAsync(args);

var builder = WebApplication.CreateBuilder(args);
// "Request starting GET /path?query" would put any secret a client sends in a URL into the log, even
// with debug logging on; this rule is more specific than any level an operator sets for Microsoft.*.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
// Console commands print their result on standard output; keep the log out of it.
if (CommandLine.IsAnyCommand(args)) builder.Logging.SetMinimumLevel(LogLevel.Warning);
// MudBlazor's and Blazor's files come from the static web assets manifest when run from source
// (`dotnet run`) in any environment; a published app has them in wwwroot and this is a no-op.
builder.WebHost.UseStaticWebAssets();
// Run from source, MapStaticAssets would answer every asset with no-cache (for editing wwwroot under a running app),
// and each page load asked again for MudBlazor's and Blazor's files before its first frame (fleet bench, issue 14).
// The build's own answers are right for a panel: a fingerprinted URL is immutable, since a changed file gets a new one.
builder.Configuration["EnableStaticAssetsDevelopmentCaching"] ??= "true";

builder.Services
    .AddCore()
    .AddInfrastructure(builder.Configuration, DataDirectory.Resolve(builder.Configuration, builder.Environment))
    .AddWeb(builder.Configuration)
    .AddControlPanelTelemetry(builder.Configuration);

var app = builder.Build();

// `dotnet run --project src/Web -- migrate` applies migrations and exits.
if (CommandLine.IsCommand(args, "migrate")) return await CommandLine.MigrateAsync(app);
if (CommandLine.IsCommand(args, "admin") || CommandLine.IsCommand(args, "token")) return await AccountCommands.RunAsync(app, args);

app.UseForwardedHeadersFromKnownProxies();
app.UseExceptionHandler();
app.UseNotFoundPages();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment()) app.UseHsts();

app.UseOriginCheck();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();
app.MapStaticAssets().AllowAnonymous();
// The security headers carry one complete CSP (frame-ancestors 'none'); Blazor's own would be a second header.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
app.MapOpenApi().RequireAuthorization(Policies.ViewFleet);
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapMetricsEndpoint();
app.MapAccountEndpoints();
app.MapHub<ControlPanel.Web.Hubs.LogsHub>(ControlPanel.Web.Hubs.LogsHub.Path);
app.MapHub<ControlPanel.Web.Hubs.BuildsHub>(ControlPanel.Web.Hubs.BuildsHub.Path);
app.MapHub<ControlPanel.Web.Hubs.DeploymentsHub>(ControlPanel.Web.Hubs.DeploymentsHub.Path);
app.MapNodesApi();
app.MapNodeAvailabilityApi();
app.MapNodeAdministrationApi();
app.MapContainersApi();
app.MapAuditApi();
app.MapTimelineApi();
app.MapLogsApi();
app.MapServicesApi();
app.MapRegistriesApi();
app.MapBuildsApi();
app.MapReleasesApi();
app.MapPipelinesApi();
app.MapWebhooksApi();
app.MapPushHookApi();
app.MapStatsApi();

await app.RunAsync();
return 0;

/// <summary>Lets WebApplicationFactory find the entry point in tests.</summary>
public partial class Program;
