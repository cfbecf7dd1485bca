using ControlPanel.Core.Audit;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Pipelines.Push;

/// <summary>What the hook URL answers: 401 when not authenticated, otherwise what became of the delivery.</summary>
public sealed record PushReceipt(PushReceiptKind Kind, string Message, Guid? PipelineId = null);

public enum PushReceiptKind
{
    /// <summary>Unsigned, wrongly signed, or for a service without a hook: all answered alike.</summary>
    Unauthorized,
    /// <summary>GitHub's ping: nothing to do.</summary>
    Ping,
    Started,
    /// <summary>The delivery id, or the same body, was seen before for this service (and did not fail).</summary>
    Replay,
    Ignored,
    Invalid,
    Failed,
}

/// <summary>
/// Turns a push webhook delivery into a pipeline request: authenticates it by the hook's secret, refuses replays,
/// ignores other branches and tags, and asks the pipeline queue to build (and, with auto-deploy, release and deploy)
/// the pushed commit as the pusher. Only authenticated deliveries are stored: an anonymous caller can write nothing.
/// </summary>
public sealed class PushReceiver(IPushHookStore hooks, IServiceStore services, IPipelineQueue queue, IAuditLog audit, PushRejectionLog rejections,
    ServiceChanges changes, TimeProvider time, ILogger<PushReceiver> logger)
{
    /// <summary>Deliveries kept per service.</summary>
    public const int KeptDeliveries = 500;

    // Verified against when the service has no hook, so an unknown service costs the same HMAC as a wrong signature.
    private const string NoSecret = "no hook: this secret signs nothing";

    /// <summary>
    /// The refusal a request gets on its headers alone (no git host's event header, or no signature), so the caller can
    /// answer it without reading the body; null when the headers may hold.
    /// </summary>
    public PushReceipt? RefuseByHeaders(string service, IReadOnlyDictionary<string, string> headers, string? clientAddress)
    {
        if (PushVerification.Identify(headers) is not var (provider, _))
            return Refuse(service, clientAddress, "no X-GitHub-Event, X-Gitea-Event or X-Gitlab-Event header");
        return PushVerification.HasCredential(provider, headers) ? null : Refuse(service, clientAddress, $"{provider} delivery without a signature");
    }

    public async Task<PushReceipt> ReceiveAsync(string service, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body, string? clientAddress,
        CancellationToken cancellationToken)
    {
        if (RefuseByHeaders(service, headers, clientAddress) is { } refused) return refused;
        var (provider, eventName) = PushVerification.Identify(headers)!.Value;
        var secret = await hooks.GetSecretAsync(service, cancellationToken);
        var signed = PushVerification.IsSigned(provider, headers, body.Span, secret ?? NoSecret);
        if (secret is null) return Refuse(service, clientAddress, $"{provider} delivery for a service without a push hook");
        if (!signed) return Refuse(service, clientAddress, $"{provider} delivery with a missing or wrong signature");

        if (PushVerification.IsPing(provider, eventName))
        {
            logger.LogInformation("Push hook of {Service}: {Provider} ping answered", service, provider);
            return new PushReceipt(PushReceiptKind.Ping, "pong: the hook is connected");
        }
        // The hosts sign the body only: the id header could be anything, so the body's hash is the replay key that holds.
        // Without an id header (older GitLab) the body stands for the id too.
        var bodyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body.Span));
        var deliveryId = PushVerification.DeliveryId(provider, headers) is { Length: <= 100 } id ? id : "body-" + bodyHash[..32];
        var delivery = Describe(service, provider, eventName, deliveryId, body.Span) with { BodyHash = bodyHash };
        // From here on the request's token is not passed: once the row may be written, a client that hangs up must not
        // leave it "Started" with no pipeline, which would answer the host's redelivery with "replay".
        if (!await hooks.TryAddDeliveryAsync(delivery, KeptDeliveries, CancellationToken.None))
        {
            logger.LogWarning("Push hook of {Service}: {Provider} delivery {DeliveryId} (or its body) was seen before (a replay); nothing started", service, provider, deliveryId);
            return new PushReceipt(PushReceiptKind.Replay, $"delivery {deliveryId}, or the same body, was received before; nothing started");
        }
        if (delivery.Outcome != PushOutcome.Started)
        {
            Logged(delivery);
            logger.LogInformation("Push hook of {Service}: {Provider} delivery {DeliveryId} {Outcome}: {Message}", service, provider, deliveryId, delivery.Outcome, delivery.Message);
            return new PushReceipt(Kind(delivery.Outcome), delivery.Message);
        }
        var ended = await StartAsync(delivery, clientAddress);
        await hooks.UpdateDeliveryAsync(ended, CancellationToken.None);
        Logged(ended);
        return new PushReceipt(Kind(ended.Outcome), ended.Message, ended.PipelineId);
    }

    /// <summary>The delivery as logged before anything starts; Started here means "to be started".</summary>
    private PushDelivery Describe(string service, string provider, string eventName, string deliveryId, ReadOnlySpan<byte> body)
    {
        var at = time.GetUtcNow();
        var clippedEvent = eventName.Length > 50 ? eventName[..50] : eventName;
        if (!PushVerification.IsPush(provider, eventName))
            return new PushDelivery(service, provider, deliveryId, at, clippedEvent, null, null, null, PushOutcome.Ignored, $"'{clippedEvent}' is not a push event");
        PushPayload payload;
        try
        {
            payload = PushPayload.Parse(provider, body);
        }
        catch (Common.InvalidRequestException ex)
        {
            return new PushDelivery(service, provider, deliveryId, at, clippedEvent, null, null, null, PushOutcome.Invalid, ex.Message);
        }
        var delivery = new PushDelivery(service, provider, deliveryId, at, clippedEvent, payload.Ref, payload.After, payload.Pusher, PushOutcome.Started, "");
        return WhyIgnored(delivery, payload) is { } why ? delivery with { Outcome = PushOutcome.Ignored, Message = why } : delivery;
    }

    private static string? WhyIgnored(PushDelivery delivery, PushPayload payload)
    {
        if (delivery.Branch is null)
            return payload.Ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? $"a tag push ({payload.Ref}); only pushes to the service's branch start a pipeline" : $"'{payload.Ref}' is not a branch";
        if (payload.DeletesRef) return $"branch '{delivery.Branch}' was deleted";
        return null;
    }

    /// <summary>Never throws: whatever goes wrong ends the delivery as Failed, which a redelivery may retry.</summary>
    private async Task<PushDelivery> StartAsync(PushDelivery delivery, string? clientAddress)
    {
        var service = delivery.Service;
        var cancellationToken = CancellationToken.None;
        try
        {
            var current = await services.FindAsync(service, null, cancellationToken);
            if (current is null || current.Deleted) return delivery with { Outcome = PushOutcome.Failed, Message = $"service '{service}' is not defined" };
            if (!current.Build.BuildsFromSource) return delivery with { Outcome = PushOutcome.Ignored, Message = "the service has no repository to build from" };
            if (delivery.Branch != current.Build.Branch)
                return delivery with { Outcome = PushOutcome.Ignored, Message = $"a push to branch '{delivery.Branch}'; the service builds '{current.Build.Branch}'" };
            var hook = await hooks.FindAsync(service, cancellationToken) ?? throw new PushHookNotFoundException(service);
            // The pusher acts as a Deployer: the hook's secret is what authorized this, and the name is for the record.
            var pusher = new Actor(ActorName(delivery.Pusher), clientAddress, new HashSet<Role> { Role.Deployer }, true);
            var pipeline = await queue.EnqueueAsync(new PipelineRequest(service, delivery.Branch, PipelineTrigger.Push, Deploy: hook.AutoDeploy,
                Commit: delivery.Commit, Provider: delivery.Provider, DeliveryId: delivery.DeliveryId), pusher, cancellationToken);
            var what = hook.AutoDeploy ? "build, release and deploy" : "build only (auto-deploy is off)";
            await audit.RecordAsync(new AuditEntry
            {
                At = time.GetUtcNow(), Actor = pusher.Name, ClientAddress = clientAddress, Action = "pipeline.push", Target = service, Succeeded = true, Duration = TimeSpan.Zero,
                Detail = $"{delivery.Provider} delivery {delivery.DeliveryId}: {delivery.Ref} at {delivery.ShortCommit} → pipeline {pipeline.Id} ({what})",
            }, cancellationToken);
            logger.LogInformation("Push hook of {Service}: {Provider} delivery {DeliveryId} by {Pusher} started pipeline {Pipeline} for {Commit}",
                service, delivery.Provider, delivery.DeliveryId, delivery.Pusher, pipeline.Id, delivery.Commit);
            // The pipeline's id is beside the message (the delivery's PipelineId), not repeated in it.
            return delivery with { Message = $"{what} of {delivery.ShortCommit}", PipelineId = pipeline.Id };
        }
        catch (Common.ControlPanelException ex)
        {
            logger.LogWarning("Push hook of {Service}: {Provider} delivery {DeliveryId} could not start a pipeline: {Error}", service, delivery.Provider, delivery.DeliveryId, ex.Message);
            return delivery with { Outcome = PushOutcome.Failed, Message = ex.Message };
        }
        catch (Exception ex)
        {
            // Not the caller's mistake: the details go to the panel's log, the host gets one line it can show.
            logger.LogError(ex, "Push hook of {Service}: {Provider} delivery {DeliveryId} could not start a pipeline", service, delivery.Provider, delivery.DeliveryId);
            return delivery with { Outcome = PushOutcome.Failed, Message = "the pipeline could not be requested (an internal error, see the panel's log); redeliver to try again" };
        }
    }

    /// <summary>
    /// "&lt;pusher&gt; (push)", at most <see cref="MaxActorName"/> characters: it lands in varchar(200) columns (pipelines,
    /// audit), and the pusher alone may already be 200.
    /// </summary>
    public static string ActorName(string? pusher)
    {
        const string suffix = " (push)";
        var name = pusher ?? "unknown pusher";
        return name.Length + suffix.Length > MaxActorName ? name[..(MaxActorName - suffix.Length)] + suffix : name + suffix;
    }

    public const int MaxActorName = 200;

    /// <summary>
    /// Tells open service pages the delivery log changed. There is no kind of its own: the pages that show deliveries
    /// follow the service's pipelines, and a re-read of those is cheap.
    /// </summary>
    private void Logged(PushDelivery delivery) => changes.Publish(new ServiceChange(delivery.Service, ServiceChangeKind.PipelineChanged));

    private static PushReceiptKind Kind(PushOutcome outcome) => outcome switch
    {
        PushOutcome.Started => PushReceiptKind.Started,
        PushOutcome.Ignored => PushReceiptKind.Ignored,
        PushOutcome.Invalid => PushReceiptKind.Invalid,
        _ => PushReceiptKind.Failed,
    };

    private PushReceipt Refuse(string service, string? clientAddress, string reason)
    {
        rejections.Log(logger, service, clientAddress, reason);
        return new PushReceipt(PushReceiptKind.Unauthorized, "The request is not signed with this hook's secret.");
    }
}
