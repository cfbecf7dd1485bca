using System.Security.Cryptography;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Security;
using ControlPanel.Core.Services;

namespace ControlPanel.Core.Pipelines.Push;

/// <summary>A hook as created or rotated: the only time its secret is seen.</summary>
public sealed record PushHookWithSecret(PushHook Hook, string? Secret);

/// <summary>A delivery with the pipeline it started, as it is now.</summary>
public sealed record PushDeliveryDetail(PushDelivery Delivery, Pipeline? Pipeline);

/// <summary>
/// Setting up a service's push hook (Deployers) and reading it and its deliveries (Viewers: never the secret).
/// The secret is generated here, 32 random bytes, shown once and stored only encrypted.
/// </summary>
public sealed class PushHookService(IPushHookStore store, IServiceStore services, IPipelineStore pipelines, ICurrentActor actor, TimeProvider time)
{
    public async Task<PushHook?> GetAsync(string service, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        await RequireServiceAsync(service, cancellationToken);
        return await store.FindAsync(service, cancellationToken);
    }

    /// <summary>
    /// Creates the hook, or changes its auto-deploy and, when <paramref name="rotateSecret"/>, replaces its secret
    /// (the old one stops working at once). A new hook always gets a secret.
    /// </summary>
    public async Task<PushHookWithSecret> SaveAsync(string service, bool autoDeploy, bool rotateSecret, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        await RequireServiceAsync(service, cancellationToken);
        var existing = await store.FindAsync(service, cancellationToken);
        var secret = existing is null || rotateSecret ? NewSecret() : null;
        var action = existing is null ? "pushhook.create" : secret is not null ? "pushhook.rotate" : "pushhook.update";
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = action, Target = service, Succeeded = true, Duration = TimeSpan.Zero,
            Detail = $"autoDeploy={autoDeploy} secret={(secret is null ? "kept" : "new")}",
        };
        return new PushHookWithSecret(await store.SaveAsync(service, autoDeploy, secret, entry, cancellationToken), secret);
    }

    public async Task DeleteAsync(string service, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Deploy, cancellationToken);
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = "pushhook.delete", Target = service, Succeeded = true, Duration = TimeSpan.Zero,
        };
        if (!await store.DeleteAsync(service, entry, cancellationToken)) throw new PushHookNotFoundException(service);
    }

    public async Task<IReadOnlyList<PushDelivery>> DeliveriesAsync(string service, int limit, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        if (limit is < 1 or > PushReceiver.KeptDeliveries)
            throw new Common.InvalidRequestException("limit", $"'limit' must be between 1 and {PushReceiver.KeptDeliveries}; got {limit}.");
        await RequireServiceAsync(service, cancellationToken);
        return await store.ListDeliveriesAsync(service, limit, cancellationToken);
    }

    public async Task<PushDeliveryDetail> DeliveryAsync(string service, string deliveryId, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        var delivery = await store.FindDeliveryAsync(service, deliveryId, cancellationToken) ?? throw new PushDeliveryNotFoundException(service, deliveryId);
        var pipeline = delivery.PipelineId is { } id
            ? await pipelines.FindAsync(id, cancellationToken)
            : await pipelines.FindByDeliveryAsync(service, deliveryId, cancellationToken);
        return new PushDeliveryDetail(delivery, pipeline);
    }

    /// <summary>32 random bytes, base64url: fits every host's secret field and needs no escaping.</summary>
    internal static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task RequireServiceAsync(string service, CancellationToken cancellationToken)
    {
        if (await services.FindAsync(service, null, cancellationToken) is not { Deleted: false }) throw new ServiceNotFoundException(service);
    }
}
