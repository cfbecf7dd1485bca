using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Timeline;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Web.Hosting;

/// <summary>Pipelines' store (whose ends go on the timeline and to alerts) and the service that owns the queue's life.</summary>
public static class PipelineSetup
{
    public static IServiceCollection AddPipelineHosting(this IServiceCollection services)
    {
        services.AddSingleton<IPipelineStore>(sp => new TimelinePipelineStore(
            new EfPipelineStore(sp.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>()), sp.GetRequiredService<PanelTimeline>()));
        // Registered after housekeeping so that it stops first: pipelines stop following before builds and deployments are stopped.
        services.AddHostedService<PipelineHousekeeping>();
        return services;
    }

    /// <summary>
    /// Marks the pipelines a stopped panel left queued or running as interrupted (their builds and deployments were
    /// stopped with it, and are marked so by <see cref="HousekeepingService"/>); stops following this instance's own when it stops.
    /// </summary>
    private sealed class PipelineHousekeeping(PipelineQueue queue, ILogger<PipelineHousekeeping> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await queue.MarkInterruptedAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not check for interrupted pipelines");
            }
        }

        public async Task StopAsync(CancellationToken cancellationToken) => await queue.DisposeAsync();
    }
}
