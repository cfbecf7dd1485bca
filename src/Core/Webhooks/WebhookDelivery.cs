using ControlPanel.Core.Telemetry;
using ControlPanel.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Webhooks;

/// <summary>Delivers one event to one webhook: signs it, retries with exponential backoff and logs every attempt.</summary>
public sealed class WebhookDelivery(IWebhookStore store, IWebhookSender sender, WebhookOptions options, TimeProvider time, ILogger<WebhookDelivery> logger)
{
    /// <param name="maxAttempts">Defaults to the setting; the test button makes one.</param>
    /// <returns>The last attempt.</returns>
    public async Task<WebhookAttempt> DeliverAsync(Webhook webhook, FleetEvent entry, bool test, CancellationToken cancellationToken, int? maxAttempts = null)
    {
        var deliveryId = Guid.NewGuid();
        string? secret;
        try
        {
            secret = webhook.HasSecret ? await store.GetSecretAsync(webhook.Id, cancellationToken) : null;
        }
        catch (Common.ControlPanelException ex)
        {
            // Sending unsigned would let a receiver that checks signatures drop it silently: log why nothing was sent.
            var refused = new WebhookAttempt(0, webhook.Id, deliveryId, entry.Kind, entry.Summary, 1, null, ex.Message, TimeSpan.Zero, time.GetUtcNow());
            await RecordAsync(refused);
            ControlPanelTelemetry.RecordWebhookDelivery("refused", TimeSpan.Zero);
            return refused;
        }
        var attempts = maxAttempts ?? options.MaxAttempts;
        var delay = options.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            // Each attempt is signed afresh so its timestamp is the time it was sent.
            var sentAt = time.GetUtcNow();
            var body = WebhookPayloads.Body(webhook.Format, entry, deliveryId, sentAt, test);
            var headers = WebhookPayloads.Headers(body, secret, entry.Kind, deliveryId, sentAt);
            var result = await sender.SendAsync(new Uri(webhook.Url), body, headers, webhook.AllowPrivateAddress, options.Timeout, cancellationToken);
            var logged = new WebhookAttempt(0, webhook.Id, deliveryId, entry.Kind, entry.Summary, attempt, result.StatusCode, result.Error, result.Duration, sentAt);
            await RecordAsync(logged);
            ControlPanelTelemetry.RecordWebhookDelivery(result.Succeeded ? "succeeded" : "failed", result.Duration);
            if (result.Succeeded || attempt >= attempts || !Retryable(result)) return logged;
            logger.LogInformation("Webhook {Webhook} attempt {Attempt} for {Kind} failed ({Outcome}); retrying in {Delay}",
                webhook.Name, attempt, entry.Kind, result.StatusCode?.ToString() ?? result.Error, delay);
            await Task.Delay(delay, time, cancellationToken);
            delay *= 2;
        }
    }

    // A receiver that says the request itself is wrong (4xx) will say so again; a timeout, a 5xx, 408 or 429 may pass later.
    private static bool Retryable(WebhookSendResult result) =>
        result.StatusCode is null or >= 500 or 408 or 429;

    private async Task RecordAsync(WebhookAttempt attempt)
    {
        try
        {
            // Logged even when the delivery is being cancelled: the attempt happened.
            await store.RecordAttemptAsync(attempt, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not log webhook attempt {Attempt} of delivery {Delivery}", attempt.Attempt, attempt.DeliveryId);
        }
    }
}
