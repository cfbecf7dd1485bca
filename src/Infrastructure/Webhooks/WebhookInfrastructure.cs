using ControlPanel.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Infrastructure.Webhooks;

public static class WebhookInfrastructure
{
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.AddSingleton<IWebhookStore, Persistence.EfWebhookStore>();
        services.AddSingleton<IWebhookSender, WebhookHttpSender>();
        services.AddSingleton<IWebhookAddressCheck, PrivateAddresses>();
        return services;
    }
}
