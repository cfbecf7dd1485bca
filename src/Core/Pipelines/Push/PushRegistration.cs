using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Core.Pipelines.Push;

public static class PushRegistration
{
    /// <summary>Push-to-deploy's Core services; Infrastructure registers <see cref="IPushHookStore"/>, the pipeline track the queue and store.</summary>
    public static IServiceCollection AddPushToDeploy(this IServiceCollection services)
    {
        services.AddSingleton<PushRejectionLog>();
        services.AddScoped<PushReceiver>();
        services.AddScoped<PushHookService>();
        return services;
    }
}
