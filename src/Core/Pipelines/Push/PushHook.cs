namespace ControlPanel.Core.Pipelines.Push;

/// <summary>
/// A service's incoming push webhook: one URL per service, authenticated by a secret the panel generated. The secret
/// itself is never part of this record; it is shown once when created or rotated and kept only encrypted.
/// </summary>
/// <param name="AutoDeploy">On: a push to the service's branch builds, releases and deploys. Off: it only builds.</param>
public sealed record PushHook(string Service, bool AutoDeploy, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset SecretSetAt);

/// <summary>The git hosts whose push events the panel understands, by the name stored and shown.</summary>
public static class PushProviders
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    public const string Gitea = "gitea";
}

/// <summary>What became of an authenticated delivery.</summary>
public enum PushOutcome
{
    /// <summary>A pipeline was requested (see <see cref="PushDelivery.PipelineId"/>).</summary>
    Started,
    /// <summary>Another branch, a tag, a deleted branch or an event that is not a push: nothing started.</summary>
    Ignored,
    /// <summary>Signed, but its body is not a push payload the panel can read.</summary>
    Invalid,
    /// <summary>The pipeline could not be requested (the message says why).</summary>
    Failed,
}

/// <summary>One authenticated delivery of a push hook, as its log keeps it.</summary>
/// <param name="BodyHash">
/// Lower-case hex SHA-256 of the raw body. The hosts sign only the body, not the delivery id header, so a body seen
/// before is a replay whatever id it comes with.
/// </param>
public sealed record PushDelivery(string Service, string Provider, string DeliveryId, DateTimeOffset ReceivedAt, string Event, string? Ref, string? Commit,
    string? Pusher, PushOutcome Outcome, string Message, Guid? PipelineId = null, string? BodyHash = null)
{
    /// <summary>The branch a push to <c>refs/heads/…</c> names; null for a tag or another ref.</summary>
    public string? Branch => Ref is { } r && r.StartsWith("refs/heads/", StringComparison.Ordinal) ? r["refs/heads/".Length..] : null;

    public string? ShortCommit => Commit is { Length: >= 7 } c ? c[..7] : Commit;
}

/// <summary>Push hooks and their delivery log. Implemented in Infrastructure; the secret is stored encrypted.</summary>
public interface IPushHookStore
{
    Task<PushHook?> FindAsync(string service, CancellationToken cancellationToken);

    /// <summary>The hook's secret in clear, for verifying a delivery; null when the service has no hook.</summary>
    Task<string?> GetSecretAsync(string service, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the hook or changes it, with the audit entry in the same transaction. <paramref name="secret"/>: the new
    /// secret in clear (it is stored encrypted), or null to keep the stored one.
    /// </summary>
    Task<PushHook> SaveAsync(string service, bool autoDeploy, string? secret, Audit.AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Removes the hook and its delivery log; false when there was none.</summary>
    Task<bool> DeleteAsync(string service, Audit.AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Logs a delivery unless its id or its body (<see cref="PushDelivery.BodyHash"/>) was logged for this service
    /// before (false: a replay, nothing stored). The log is trimmed to the newest <paramref name="keep"/> deliveries per
    /// service, but only of those that were ignored or invalid: the rest are the replay keys and stay. A logged delivery
    /// that Failed is no replay key: one with its id or body replaces it.
    /// </summary>
    Task<bool> TryAddDeliveryAsync(PushDelivery delivery, int keep, CancellationToken cancellationToken);

    /// <summary>Sets how a logged delivery ended (outcome, message, pipeline).</summary>
    Task UpdateDeliveryAsync(PushDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PushDelivery>> ListDeliveriesAsync(string service, int limit, CancellationToken cancellationToken);

    Task<PushDelivery?> FindDeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken);
}

public sealed class PushHookNotFoundException(string service)
    : Common.ControlPanelException($"Service '{service}' has no push hook; create one (PUT /api/services/{service}/push-hook) first.")
{
    public string Service { get; } = service;
}

public sealed class PushDeliveryNotFoundException(string service, string deliveryId)
    : Common.ControlPanelException($"Service '{service}' has no logged push delivery '{deliveryId}'.")
{
    public string Service { get; } = service;
    public string DeliveryId { get; } = deliveryId;
}
