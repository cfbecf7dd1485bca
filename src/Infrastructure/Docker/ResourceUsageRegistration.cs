using ControlPanel.Core.Resources;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Infrastructure.Docker;

public static class ResourceUsageRegistration
{
    /// <summary>Where Core's samplers read container stats (the engines) and keep the day's rollups (the database).</summary>
    public static IServiceCollection AddResourceUsageSources(this IServiceCollection services)
    {
        services.AddSingleton<IContainerStatsReader, DockerContainerStatsReader>();
        services.AddSingleton<IResourceRollupStore, EfResourceRollups>();
        return services;
    }
}
