using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPanel.Core.Webhooks;

public static class WebhookRegistration
{
    /// <summary>Core's webhook services; Infrastructure brings the store, the sender and the address check.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton<Timeline.FleetEvents>();
        services.TryAddSingleton(new WebhookOptions());
        services.AddSingleton<WebhookDirectory>();
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddScoped<WebhookService>();
        return services;
    }
}
