using ControlPanel.Core.Telemetry;
using ControlPanel.Core.Webhooks;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ControlPanel.Web.Telemetry;

/// <summary>
/// The panel's own telemetry: metrics (scraped at <see cref="MetricsPath"/>) and traces always, exported with the
/// logs over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set, so a default run sends nothing anywhere. The OTLP
/// exporter reads the standard OTEL_* variables itself (protocol, headers, service name, batch delays).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";
    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddControlPanelTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r =>
            {
                // OTEL_SERVICE_NAME, when set, names the panel instead.
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])) r.AddService("controlpanel");
            })
            .WithMetrics(metrics => metrics
                .AddMeter(ControlPanelTelemetry.Name)
                // HTTP server, Kestrel, SignalR connections, routing, rate limiting (ASP.NET Core's own meters).
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Components.Server.Circuits", "Microsoft.EntityFrameworkCore")
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            // Traced even with nowhere to send them: the spans put a trace id on every log entry written during a
            // request or a deployment, which the console shows.
            .WithTracing(tracing => tracing
                .AddSource(ControlPanelTelemetry.Name, "Microsoft.AspNetCore.SignalR.Server")
                // A scrape or a health probe every few seconds would bury the requests people make.
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments(MetricsPath) && !http.Request.Path.StartsWithSegments("/healthz")));
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]))
        {
            // Spans per query and per outgoing request only when someone receives them.
            // Webhook deliveries are left out: their URLs (in url.full) carry receivers' tokens, as Slack's do.
            telemetry.WithTracing(tracing => tracing
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = r => !r.Headers.Contains(WebhookPayloads.DeliveryHeader))
                    .AddEntityFrameworkCoreInstrumentation())
                .WithLogging()
                .UseOtlpExporter();
        }
        // The host's ActivityTrackingOptions put the trace and span id in a scope; the console shows scopes only when asked.
        // Without a formatter named, the console copies its options from its obsolete settings and ignores these.
        services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Simple);
        services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = true);
        services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        return services;
    }

    /// <summary>
    /// Prometheus' text format, for an API token of any role (Viewer is enough) sent as a Bearer header; a sign-in
    /// cookie is not accepted here, and a request without a valid token is answered 401.
    /// </summary>
    public static void MapMetricsEndpoint(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath)
            .RequireAuthorization(new AuthorizeAttribute(Policies.ViewFleet) { AuthenticationSchemes = ApiTokenAuthenticationHandler.SchemeName });
}
