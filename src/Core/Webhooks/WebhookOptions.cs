using Microsoft.Extensions.Options;

namespace ControlPanel.Core.Webhooks;

/// <summary>Settings under ControlPanel:Webhooks.</summary>
public sealed class WebhookOptions
{
    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>The wait before the second attempt; each further wait doubles it.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long one attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>One alert per (webhook, kind, container or service) per window.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How long the delivery log keeps an attempt.</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(14);
}

public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    private const string Section = "ControlPanel:Webhooks";

    public ValidateOptionsResult Validate(string? name, WebhookOptions o)
    {
        var errors = new List<string>();
        if (o.MaxAttempts is < 1 or > 20) errors.Add($"{Section}:MaxAttempts must be between 1 and 20; got {o.MaxAttempts}.");
        if (o.FirstRetryDelay < TimeSpan.Zero || o.FirstRetryDelay > TimeSpan.FromMinutes(10))
            errors.Add($"{Section}:FirstRetryDelay must be between 0 and 10 minutes; got {o.FirstRetryDelay}.");
        if (o.Timeout < TimeSpan.FromMilliseconds(100) || o.Timeout > TimeSpan.FromMinutes(5))
            errors.Add($"{Section}:Timeout must be between 100 ms and 5 minutes; got {o.Timeout}.");
        if (o.DeduplicationWindow < TimeSpan.Zero || o.DeduplicationWindow > TimeSpan.FromDays(1))
            errors.Add($"{Section}:DeduplicationWindow must be between 0 and 1 day; got {o.DeduplicationWindow}.");
        if (o.LogRetention < TimeSpan.FromHours(1) || o.LogRetention > TimeSpan.FromDays(365))
            errors.Add($"{Section}:LogRetention must be between 1 hour and 365 days; got {o.LogRetention}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
