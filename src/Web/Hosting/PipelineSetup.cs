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
    /// Beats for the pipelines this instance holds and, at start and every heartbeat, marks interrupted those a stopped
    /// panel left queued or running (their builds and deployments stopped with it, and are marked so by
    /// <see cref="HousekeepingService"/>); stops following this instance's own when it stops.
    /// </summary>
    private sealed class PipelineHousekeeping(PipelineQueue queue, Core.Common.LivenessOptions liveness, ILogger<PipelineHousekeeping> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var beating = queue.BeatAsync(stoppingToken);
            using var timer = new PeriodicTimer(liveness.HeartbeatInterval);
            try
            {
                do
                {
                    try
                    {
                        await queue.MarkInterruptedAsync(stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "Could not check for interrupted pipelines");
                    }
                }
                while (await timer.WaitForNextTickAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            await beating;
        }

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken);
            await queue.DisposeAsync();
        }
    }
}
