using ControlPanel.Core.Timeline;

namespace ControlPanel.Core.Webhooks;

/// <summary>How a delivery's body is written.</summary>
public enum WebhookFormat
{
    /// <summary>The event as JSON (see <see cref="WebhookPayloads"/>).</summary>
    Json,
    /// <summary><c>{"text": "..."}</c>, which Slack's and Mattermost's incoming webhooks accept.</summary>
    Slack,
}

/// <summary>
/// An outgoing webhook an Admin configured. The secret is never part of it: only whether one is set.
/// </summary>
/// <param name="UnhealthyFor">For <see cref="FleetEventKind.UnhealthyTooLong"/>: how long a container stays unhealthy before it alerts.</param>
/// <param name="AllowPrivateAddress">The Admin allowed a URL on the panel's own host or a link-local address.</param>
public sealed record Webhook(Guid Id, string Name, string Url, IReadOnlyList<FleetEventKind> Kinds, WebhookFormat Format,
    TimeSpan UnhealthyFor, bool HasSecret, bool Enabled, bool AllowPrivateAddress);

/// <summary>What an Admin sends to create or change a webhook.</summary>
/// <param name="Secret">null keeps the stored secret; empty removes it.</param>
public sealed record WebhookChange(string Name, string Url, IReadOnlyList<FleetEventKind> Kinds, WebhookFormat Format,
    TimeSpan? UnhealthyFor, string? Secret, bool Enabled, bool AllowPrivateAddress)
{
    // Records print their members; the secret must not be.
    public override string ToString() => $"{Name} {Url} secret={(Secret is null ? "kept" : Secret.Length == 0 ? "removed" : "set")}";
}

/// <summary>One attempt to deliver one event to one webhook.</summary>
/// <param name="StatusCode">The receiver's HTTP status; null when no answer came (see <paramref name="Error"/>).</param>
public sealed record WebhookAttempt(long Id, Guid WebhookId, Guid DeliveryId, FleetEventKind Kind, string Summary, int Attempt,
    int? StatusCode, string? Error, TimeSpan Duration, DateTimeOffset At)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>The kinds of events a webhook can alert on.</summary>
public static class WebhookKinds
{
    public static readonly IReadOnlyList<FleetEventKind> Alertable =
    [
        FleetEventKind.DeploymentStarted, FleetEventKind.DeploymentSucceeded, FleetEventKind.DeploymentFailed,
        FleetEventKind.DeploymentRolledBack, FleetEventKind.BuildFailed, FleetEventKind.OomKilled, FleetEventKind.CrashLoop,
        FleetEventKind.UnhealthyTooLong, FleetEventKind.NodeUnreachable, FleetEventKind.PipelineSucceeded, FleetEventKind.PipelineFailed,
    ];

    /// <summary>Words for people, as the page and the Slack text show them.</summary>
    public static string Describe(FleetEventKind kind) => kind switch
    {
        FleetEventKind.DeploymentStarted => "Deployment started",
        FleetEventKind.DeploymentSucceeded => "Deployment succeeded",
        FleetEventKind.DeploymentFailed => "Deployment failed",
        FleetEventKind.DeploymentRolledBack => "Deployment rolled back",
        FleetEventKind.BuildFailed => "Build failed",
        FleetEventKind.OomKilled => "OOM kill",
        FleetEventKind.CrashLoop => "Crash loop",
        FleetEventKind.UnhealthyTooLong => "Unhealthy too long",
        FleetEventKind.NodeUnreachable => "Node unreachable",
        FleetEventKind.PipelineSucceeded => "Pipeline succeeded",
        FleetEventKind.PipelineFailed => "Pipeline failed",
        _ => kind.ToString(),
    };
}

public sealed class WebhookNotFoundException(Guid id)
    : Common.ControlPanelException($"Webhook '{id}' does not exist.")
{
    public Guid Id { get; } = id;
}
