using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using ControlPanel.Core.Timeline;

namespace ControlPanel.Core.Webhooks;

/// <summary>Configuring webhooks, sending a test and reading their delivery log: Admins only. Secrets go in and never come back.</summary>
public sealed class WebhookService(IWebhookStore store, WebhookDirectory directory, WebhookDelivery delivery, IWebhookAddressCheck addresses,
    ICurrentActor actor, TimeProvider time)
{
    public async Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.Administer, cancellationToken);
        return await store.ListAsync(cancellationToken);
    }

    public async Task<Webhook> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.Administer, cancellationToken);
        return await store.FindAsync(id, cancellationToken) ?? throw new WebhookNotFoundException(id);
    }

    /// <param name="id">null creates a webhook.</param>
    public async Task<Webhook> SaveAsync(Guid? id, WebhookChange change, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        if (id is { } existing && await store.FindAsync(existing, cancellationToken) is null) throw new WebhookNotFoundException(existing);
        change = await ValidateAsync(change, cancellationToken);
        var audit = Audit(who, id is null ? "webhook.create" : "webhook.update", change.Name,
            $"{Redacted(change.Url)} kinds={string.Join(",", change.Kinds)} format={change.Format} enabled={change.Enabled} " +
            $"allowPrivateAddress={change.AllowPrivateAddress} secret={(change.Secret is null ? "kept" : change.Secret.Length == 0 ? "removed" : "set")}");
        var saved = await store.SaveAsync(id ?? Guid.NewGuid(), change, audit, cancellationToken);
        directory.Invalidate();
        return saved;
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        var webhook = await store.FindAsync(id, cancellationToken) ?? throw new WebhookNotFoundException(id);
        if (!await store.DeleteAsync(id, Audit(who, "webhook.delete", webhook.Name, Redacted(webhook.Url)), cancellationToken)) throw new WebhookNotFoundException(id);
        directory.Invalidate();
    }

    /// <summary>
    /// The URL as the audit log (which any Viewer reads) shows it: scheme, host and port only. Slack-style incoming
    /// webhook URLs carry their token in the path and query, and whoever has it can post to the on-call channel.
    /// </summary>
    internal static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.GetLeftPart(UriPartial.Authority)}/..." : "(not a URL)";

    /// <summary>Delivers a test event now, once (no retries), and returns the logged attempt.</summary>
    public async Task<WebhookAttempt> SendTestAsync(Guid id, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        var webhook = await store.FindAsync(id, cancellationToken) ?? throw new WebhookNotFoundException(id);
        var test = new FleetEvent
        {
            At = time.GetUtcNow(), Kind = webhook.Kinds.FirstOrDefault(FleetEventKind.DeploymentFailed), Actor = who.Name,
            Summary = $"test event sent by {who.Name} from the Webhooks page",
        };
        return await delivery.DeliverAsync(webhook, test, test: true, cancellationToken, maxAttempts: 1);
    }

    public async Task<IReadOnlyList<WebhookAttempt>> AttemptsAsync(Guid id, int limit, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.Administer, cancellationToken);
        if (limit is < 1 or > 1000) throw new InvalidRequestException("limit", $"'limit' must be between 1 and 1000; got {limit}.");
        _ = await store.FindAsync(id, cancellationToken) ?? throw new WebhookNotFoundException(id);
        return await store.ListAttemptsAsync(id, limit, cancellationToken);
    }

    private async Task<WebhookChange> ValidateAsync(WebhookChange change, CancellationToken cancellationToken)
    {
        var name = change.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100) throw new InvalidRequestException("name", $"'name' must be 1–100 characters; got {name.Length}.");
        var url = change.Url?.Trim() ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > 2000)
            throw new InvalidRequestException("url", $"'url' must be an http:// or https:// address of at most 2000 characters; got '{url}'.");
        if (uri.UserInfo.Length > 0) throw new InvalidRequestException("url", "'url' must not carry credentials; use the secret to sign deliveries.");
        if (!change.AllowPrivateAddress && await addresses.FindPrivateAddressAsync(uri, cancellationToken) is { } local)
            throw new InvalidRequestException("url",
                $"'url' points at {local}, the panel's own host or a link-local address; tick \"allow private/local address\" (allowPrivateAddress) to send there anyway.");
        var kinds = (change.Kinds ?? []).Distinct().ToList();
        if (kinds.Count == 0) throw new InvalidRequestException("kinds", "'kinds' must name at least one event kind.");
        if (kinds.Where(k => !WebhookKinds.Alertable.Contains(k)).ToList() is { Count: > 0 } others)
            throw new InvalidRequestException("kinds", $"'kinds' may hold only {string.Join(", ", WebhookKinds.Alertable)}; got {string.Join(", ", others)}.");
        if (!Enum.IsDefined(change.Format)) throw new InvalidRequestException("format", $"'format' must be Json or Slack; got {change.Format}.");
        var unhealthyFor = change.UnhealthyFor ?? TimeSpan.FromMinutes(5);
        if (unhealthyFor < TimeSpan.FromSeconds(1) || unhealthyFor > TimeSpan.FromDays(1))
            throw new InvalidRequestException("unhealthyFor", $"'unhealthyFor' must be between 1 second and 1 day; got {unhealthyFor}.");
        if (change.Secret is { Length: > 500 }) throw new InvalidRequestException("secret", "'secret' must be at most 500 characters.");
        return change with { Name = name, Url = uri.ToString(), Kinds = kinds, UnhealthyFor = unhealthyFor };
    }

    private AuditEntry Audit(Actor who, string action, string target, string detail) => new()
    {
        At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = action, Target = target,
        Detail = detail.Length > 1000 ? detail[..1000] : detail, Succeeded = true, Duration = TimeSpan.Zero,
    };
}
