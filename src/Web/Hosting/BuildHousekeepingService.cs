using ControlPanel.Core.Builds;

namespace ControlPanel.Web.Hosting;

/// <summary>
/// Marks builds whose panel stopped mid-way as interrupted — at start and every minute, since with a shared
/// PostgreSQL another instance may be the one that died — and cancels this instance's builds when it stops.
/// </summary>
public sealed class BuildHousekeepingService(BuildRunner runner, ILogger<BuildHousekeepingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        do
        {
            try
            {
                await runner.MarkAbandonedAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not check for interrupted builds");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await runner.DisposeAsync();
    }
}
