namespace ControlPanel.Core.Webhooks;

/// <summary>
/// The enabled webhooks, cached so a burst of events does not read the database per event. Changes through this
/// panel refresh it at once; another instance's changes (shared PostgreSQL) within <see cref="MaxAge"/>.
/// </summary>
public sealed class WebhookDirectory(IWebhookStore store, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private (IReadOnlyList<Webhook> Webhooks, DateTimeOffset At)? _cached;

    public async Task<IReadOnlyList<Webhook>> EnabledAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && time.GetUtcNow() - c.At < MaxAge) return c.Webhooks;
        var enabled = (await store.ListAsync(cancellationToken)).Where(w => w.Enabled).ToList();
        _cached = (enabled, time.GetUtcNow());
        return enabled;
    }

    public void Invalidate() => _cached = null;
}
