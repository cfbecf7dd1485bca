using System.Text.Json.Serialization;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Web.Api;
using ControlPanel.Web.Hosting;
using ControlPanel.Web.Security;
using MudBlazor.Services;

namespace ControlPanel.Web;

public static class DependencyInjection
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<FleetOptions, FleetOptionsValidator>(configuration, "ControlPanel:Fleet");
        services.AddValidatedOptions<Core.Common.LivenessOptions, Core.Common.LivenessOptionsValidator>(configuration, "ControlPanel:Liveness");
        services.AddValidatedOptions<Core.Releases.DeploymentOptions, Core.Releases.DeploymentOptionsValidator>(configuration, "ControlPanel:Deployments");
        services.AddValidatedOptions<Core.Releases.HostMountOptions, Core.Releases.HostMountOptionsValidator>(configuration, "ControlPanel:HostMounts");
        services.AddValidatedOptions<ProxyOptions, ProxyOptionsValidator>(configuration, "ControlPanel:Http");
        services.AddForwardedHeadersFromKnownProxies();
        services.AddValidatedOptions<Core.Builds.BuildOptions, Core.Builds.BuildOptionsValidator>(configuration, "ControlPanel:Builds");
        services.AddValidatedOptions<Core.Webhooks.WebhookOptions, Core.Webhooks.WebhookOptionsValidator>(configuration, "ControlPanel:Webhooks");

        services.AddHttpContextAccessor();
        services.AddScoped<ActorOverride>();
        services.AddScoped<ICurrentActor, CurrentActor>();
        services.AddControlPanelAuthentication();
        services.AddSingleton<Components.Layout.FirstPaintStyles>();
        services.AddSingleton<Components.Layout.BootScript>();
        services.AddSingleton<Components.Layout.SystemDarkPalette>();
        services.AddScoped<Components.Pages.Containers.ContainersViewModel>();
        services.AddTransient<Components.Pages.Logs.LogViewModel>();
        // First of all hosted services: Data Protection's own start-up reads its keys from the database.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartup>());
        // Before that: no secret is written with an unprotected key ring that the operator did not accept.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, KeyRingProtection>());
        services.AddHostedService<FleetWatcherService>();
        services.AddHostedService<HousekeepingService>();
        services.AddHostedService<RotationKeeperService>();
        services.AddHostedService<WebhookDispatcherService>();
        services.AddHostedService<ResourceSamplingService>();
        services.AddTimeline(configuration);
        services.AddPipelineHosting();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSignalR();
        services.AddSingleton<UserValidity>();
        services.AddMudServices();

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A number is a JSON number: "5" is refused by name, and the OpenAPI document types numbers as numbers only.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        // A value that does not bind (?limit=ten, a body that is not the JSON expected) reaches the problem-details
        // handler, which names the parameter or JSON path, instead of becoming a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddControlPanelOpenApi();
        services.AddHealthChecks();
        return services;
    }

    /// <summary>Binds a section, validates it at start (naming the wrong setting), and hands Core the plain value.</summary>
    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, Microsoft.Extensions.Options.IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TOptions>>().Value);
    }
}
