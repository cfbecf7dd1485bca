using ControlPanel.Core.Telemetry;
using ControlPanel.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Webhooks;

/// <summary>Delivers one event to one webhook: signs it, retries with exponential backoff and logs every attempt.</summary>
public sealed class WebhookDelivery(IWebhookStore store, IWebhookSender sender, WebhookOptions options, TimeProvider time, ILogger<WebhookDelivery> logger)
{
    /// <param name="maxAttempts">Defaults to the setting; the test button makes one.</param>
    /// <returns>The last attempt.</returns>
    public Task<WebhookAttempt> DeliverAsync(Webhook webhook, FleetEvent entry, bool test, CancellationToken cancellationToken, int? maxAttempts = null) =>
        SendAsync(webhook, entry, Guid.NewGuid(), 1, test, maxAttempts ?? options.MaxAttempts, cancellationToken);

    /// <summary>Picks up a delivery that an earlier run of the panel left waiting: the same delivery id, its next attempt once due.</summary>
    public async Task<WebhookAttempt> ResumeAsync(Webhook webhook, PendingDelivery pending, CancellationToken cancellationToken)
    {
        var wait = pending.DueAt - time.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
        return await SendAsync(webhook, pending.Event, pending.DeliveryId, pending.NextAttempt, false, options.MaxAttempts, cancellationToken);
    }

    private async Task<WebhookAttempt> SendAsync(Webhook webhook, FleetEvent entry, Guid deliveryId, int firstAttempt, bool test, int attempts,
        CancellationToken cancellationToken)
    {
        // A resumed delivery has its row; a new one gets one before its first wait.
        var pending = firstAttempt > 1;
        string? secret;
        try
        {
            secret = webhook.HasSecret ? await store.GetSecretAsync(webhook.Id, cancellationToken) : null;
        }
        catch (Common.ControlPanelException ex)
        {
            // Sending unsigned would let a receiver that checks signatures drop it silently: log why nothing was sent.
            var refused = new WebhookAttempt(0, webhook.Id, deliveryId, entry.Kind, entry.Summary, firstAttempt, null, ex.Message, TimeSpan.Zero, time.GetUtcNow());
            await RecordAsync(refused);
            if (pending) await EndPendingAsync(deliveryId);
            ControlPanelTelemetry.RecordWebhookDelivery("refused", TimeSpan.Zero);
            return refused;
        }
        var delay = options.FirstRetryDelay * Math.Pow(2, firstAttempt - 1);
        for (var attempt = firstAttempt; ; attempt++)
        {
            // Each attempt is signed afresh so its timestamp is the time it was sent.
            var sentAt = time.GetUtcNow();
            var body = WebhookPayloads.Body(webhook.Format, entry, deliveryId, sentAt, test);
            var headers = WebhookPayloads.Headers(body, secret, entry.Kind, deliveryId, sentAt);
            var result = await sender.SendAsync(new Uri(webhook.Url), body, headers, webhook.AllowPrivateAddress, options.Timeout, cancellationToken);
            var logged = new WebhookAttempt(0, webhook.Id, deliveryId, entry.Kind, entry.Summary, attempt, result.StatusCode, result.Error, result.Duration, sentAt);
            await RecordAsync(logged);
            ControlPanelTelemetry.RecordWebhookDelivery(result.Succeeded ? "succeeded" : "failed", result.Duration);
            if (result.Succeeded || attempt >= attempts || !Retryable(result))
            {
                if (pending) await EndPendingAsync(deliveryId);
                return logged;
            }
            logger.LogInformation("Webhook {Webhook} attempt {Attempt} for {Kind} failed ({Outcome}); retrying in {Delay}",
                webhook.Name, attempt, entry.Kind, result.StatusCode?.ToString() ?? result.Error, delay);
            // A test is one click's answer, not an alert to keep: only alerts wait in the store.
            if (!test) pending = await SavePendingAsync(new PendingDelivery(deliveryId, webhook.Id, entry, attempt + 1, time.GetUtcNow() + delay)) || pending;
            await Task.Delay(delay, time, cancellationToken);
            delay *= 2;
        }
    }

    private async Task<bool> SavePendingAsync(PendingDelivery next)
    {
        try
        {
            await store.SavePendingAsync(next, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            // The retry still happens in this run; only a restart before it would lose it.
            logger.LogWarning(ex, "Could not store delivery {Delivery}'s next attempt; a restart before it would drop it", next.DeliveryId);
            return false;
        }
    }

    private async Task EndPendingAsync(Guid deliveryId)
    {
        try
        {
            await store.RemovePendingAsync(deliveryId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not mark delivery {Delivery} ended; a restart may send it once more", deliveryId);
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
