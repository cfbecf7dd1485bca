using ControlPanel.Core.Audit;
using ControlPanel.Core.Timeline;

namespace ControlPanel.Core.Webhooks;

/// <summary>Configured webhooks and their delivery log; secrets are stored encrypted and read back only to sign.</summary>
public interface IWebhookStore
{
    Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken);

    Task<Webhook?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Creates (id not stored yet) or updates; the audit entry is written in the same transaction.</summary>
    Task<Webhook> SaveAsync(Guid id, WebhookChange change, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Deletes the webhook and its log; false when it did not exist.</summary>
    Task<bool> DeleteAsync(Guid id, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The decrypted secret, for signing only; null when none is set.</summary>
    Task<string?> GetSecretAsync(Guid id, CancellationToken cancellationToken);

    Task RecordAttemptAsync(WebhookAttempt attempt, CancellationToken cancellationToken);

    /// <summary>The webhook's attempts, newest first.</summary>
    Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(Guid webhookId, int limit, CancellationToken cancellationToken);

    /// <summary>Stores (or moves on) a delivery that waits for its next attempt, so a restart of the panel does not drop it.</summary>
    Task SavePendingAsync(PendingDelivery pending, CancellationToken cancellationToken);

    /// <summary>The delivery ended (delivered, or out of attempts); nothing to resume.</summary>
    Task RemovePendingAsync(Guid deliveryId, CancellationToken cancellationToken);

    /// <summary>Deliveries waiting for a retry, oldest due first.</summary>
    Task<IReadOnlyList<PendingDelivery>> ListPendingAsync(CancellationToken cancellationToken);

    /// <summary>Deletes attempts older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAttemptsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>A delivery between two attempts: what to send, to which webhook, and when to try again.</summary>
/// <param name="NextAttempt">The number of the attempt still to make (2 for the first retry).</param>
public sealed record PendingDelivery(Guid DeliveryId, Guid WebhookId, FleetEvent Event, int NextAttempt, DateTimeOffset DueAt);

/// <summary>Sends one signed POST; never throws for the receiver's failures, which come back in the result.</summary>
public interface IWebhookSender
{
    /// <param name="allowPrivateAddress">Without it, the sender refuses to connect to the panel's own or link-local addresses.</param>
    Task<WebhookSendResult> SendAsync(Uri url, string body, IReadOnlyDictionary<string, string> headers, bool allowPrivateAddress,
        TimeSpan timeout, CancellationToken cancellationToken);
}

/// <param name="StatusCode">null when no answer came; <paramref name="Error"/> then says why.</param>
public sealed record WebhookSendResult(int? StatusCode, string? Error, TimeSpan Duration)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>Tells whether a URL's host is the panel's own host (loopback, this machine's addresses) or link-local.</summary>
public interface IWebhookAddressCheck
{
    /// <summary>The first such address the host resolves to, or null when it resolves only to other addresses.</summary>
    Task<string?> FindPrivateAddressAsync(Uri url, CancellationToken cancellationToken);
}
