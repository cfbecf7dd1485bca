using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Core.Pipelines;

public static class PipelineRegistration
{
    /// <summary>Core's pipeline services; the host brings the store (<see cref="IPipelineStore"/>) and marks interrupted ones at start.</summary>
    public static IServiceCollection AddPipelines(this IServiceCollection services)
    {
        services.AddSingleton<PipelineChanges>();
        services.AddSingleton<PipelineUpdates>();
        services.AddSingleton<IPipelineStages, PipelineRunner>();
        services.AddSingleton<PipelineQueue>();
        services.AddSingleton<IPipelineQueue>(sp => sp.GetRequiredService<PipelineQueue>());
        services.AddScoped<PipelineService>();
        return services;
    }
}
