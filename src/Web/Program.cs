using ControlPanel.Core;
using ControlPanel.Infrastructure;
using ControlPanel.Web;
using ControlPanel.Web.Api;
using ControlPanel.Web.Components;
using ControlPanel.Web.Hosting;

// `healthcheck` asks a running panel for /healthz (the container image has no curl).
if (CommandLine.IsCommand(args, "healthcheck")) return await CommandLine.HealthCheckAsync(args);

var builder = WebApplication.CreateBuilder(args);
// MudBlazor's and Blazor's files come from the static web assets manifest when run from source
// (`dotnet run`) in any environment; a published app has them in wwwroot and this is a no-op.
builder.WebHost.UseStaticWebAssets();

builder.Services
    .AddCore()
    .AddInfrastructure(builder.Configuration, DataDirectory.Resolve(builder.Configuration, builder.Environment))
    .AddWeb(builder.Configuration);

var app = builder.Build();

// `dotnet run --project src/Web -- migrate` applies migrations and exits.
if (CommandLine.IsCommand(args, "migrate")) return await CommandLine.MigrateAsync(app);

app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment()) app.UseHsts();

app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapOpenApi();
app.MapHealthChecks("/healthz");
app.MapNodesApi();
app.MapContainersApi();
app.MapAuditApi();

await app.RunAsync();
return 0;

/// <summary>Lets WebApplicationFactory find the entry point in tests.</summary>
public partial class Program;
