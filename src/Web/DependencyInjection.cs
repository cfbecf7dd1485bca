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
        services.AddOptions<FleetOptions>().Bind(configuration.GetSection("ControlPanel:Fleet")).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<FleetOptions>, FleetOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FleetOptions>>().Value);
        services.AddOptions<Core.Common.LivenessOptions>().Bind(configuration.GetSection("ControlPanel:Liveness")).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Core.Common.LivenessOptions>, LivenessOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.Common.LivenessOptions>>().Value);
        services.AddOptions<Core.Releases.DeploymentOptions>().Bind(configuration.GetSection("ControlPanel:Deployments")).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Core.Releases.DeploymentOptions>, DeploymentOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.Releases.DeploymentOptions>>().Value);

        services.AddHttpContextAccessor();
        services.AddScoped<ActorOverride>();
        services.AddScoped<ICurrentActor, CurrentActor>();
        services.AddControlPanelAuthentication();
        services.AddScoped<Components.Pages.Containers.ContainersViewModel>();
        services.AddTransient<Components.Pages.Logs.LogViewModel>();
        // First of all hosted services: Data Protection's own start-up reads its keys from the database.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartup>());
        services.AddHostedService<FleetWatcherService>();
        services.AddHostedService<HousekeepingService>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSignalR();
        services.AddSingleton<UserValidity>();
        services.AddMudServices();

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();
        services.AddHealthChecks();
        return services;
    }
}
