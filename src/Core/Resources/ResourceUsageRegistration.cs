using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPanel.Core.Resources;

public static class ResourceUsageRegistration
{
    /// <summary>The shared samplers behind <see cref="IResourceUsage"/>; Infrastructure provides the reader and the rollup store.</summary>
    public static IServiceCollection AddResourceUsage(this IServiceCollection services)
    {
        services.TryAddSingleton(new ResourceUsageOptions());
        services.AddSingleton<ResourceUsage>();
        services.AddSingleton<IResourceUsage>(sp => sp.GetRequiredService<ResourceUsage>());
        return services;
    }
}
