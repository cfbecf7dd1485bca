using ControlPanel.Core.Webhooks;

namespace ControlPanel.Web.Hosting;

/// <summary>Runs the webhook dispatcher for the panel's lifetime and trims the delivery log to its retention every hour.</summary>
public sealed class WebhookDispatcherService(WebhookDispatcher dispatcher, IWebhookStore store, WebhookOptions options, TimeProvider time,
    ILogger<WebhookDispatcherService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(dispatcher.RunAsync(stoppingToken), PruneAsync(stoppingToken));

    private async Task PruneAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var pruned = await store.PruneAttemptsAsync(time.GetUtcNow() - options.LogRetention, stoppingToken);
                if (pruned > 0) logger.LogInformation("Removed {Count} webhook delivery attempts older than {Retention}", pruned, options.LogRetention);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not trim the webhook delivery log");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
