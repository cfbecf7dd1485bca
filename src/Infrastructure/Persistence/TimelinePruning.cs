using ControlPanel.Core.Timeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Deletes timeline entries older than the retention setting, at start and every prune interval.</summary>
public sealed class TimelinePruning(EfTimeline timeline, TimelineOptions options, TimeProvider time, ILogger<TimelinePruning> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PruneInterval, time);
        do
        {
            try
            {
                var pruned = await timeline.PruneAsync(time.GetUtcNow() - options.Retention, stoppingToken);
                if (pruned > 0) logger.LogInformation("Pruned {Count} timeline entries older than {Retention}", pruned, options.Retention);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not prune the timeline");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
