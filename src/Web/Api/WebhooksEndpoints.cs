using ControlPanel.Core.Timeline;
using ControlPanel.Core.Webhooks;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

/// <summary>Outgoing webhooks (Admin). Secrets are write-only: responses say whether one is set, never what it is.</summary>
public static class WebhooksEndpoints
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Administer).ProducesAuthProblems();

        webhooks.MapGet("/", async (WebhookService service, CancellationToken ct) => (await service.ListAsync(ct)).Select(WebhookDto.From))
            .WithName("ListWebhooks")
            .WithSummary("Configured webhooks; hasSecret says whether a secret is set (the secret is never returned).");

        webhooks.MapPost("/", async (WebhookRequestDto body, WebhookService service, CancellationToken ct) =>
            {
                var saved = await service.SaveAsync(null, body.ToChange(), ct);
                return Results.Created($"/api/webhooks/{saved.Id}", WebhookDto.From(saved));
            })
            .WithName("CreateWebhook")
            .WithSummary("Adds a webhook. A URL on the panel's own host or a link-local address is refused unless allowPrivateAddress is true.")
            .Produces<WebhookDto>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest);

        webhooks.MapPut("/{id:guid}", async (Guid id, WebhookRequestDto body, WebhookService service, CancellationToken ct) =>
                WebhookDto.From(await service.SaveAsync(id, body.ToChange(), ct)))
            .WithName("UpdateWebhook")
            .WithSummary("Changes a webhook. secret: omit or null to keep the stored one, \"\" to remove it.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        webhooks.MapDelete("/{id:guid}", async (Guid id, WebhookService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(id, ct);
                return Results.NoContent();
            })
            .WithName("DeleteWebhook")
            .WithSummary("Deletes a webhook and its delivery log.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:guid}/test", async (Guid id, WebhookService service, CancellationToken ct) =>
                WebhookAttemptDto.From(await service.SendTestAsync(id, ct)))
            .WithName("TestWebhook")
            .WithSummary("Delivers a test event now, once, and returns the receiver's status code or the error.")
            .ProducesProblems(StatusCodes.Status404NotFound);

        webhooks.MapGet("/{id:guid}/deliveries", async (Guid id, WebhookService service, CancellationToken ct, int limit = 100) =>
                (await service.AttemptsAsync(id, limit, ct)).Select(WebhookAttemptDto.From))
            .WithName("ListWebhookDeliveries")
            .WithSummary("The webhook's delivery attempts, newest first: one row per attempt, retries of one delivery share its deliveryId.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return app;
    }
}

/// <summary>A webhook as an Admin describes it.</summary>
/// <param name="Url">http:// or https:// address the events are POSTed to.</param>
/// <param name="Kinds">Event kinds to alert on: DeploymentStarted, DeploymentSucceeded, DeploymentFailed, DeploymentRolledBack, BuildFailed, OomKilled, CrashLoop, UnhealthyTooLong, NodeUnreachable, PipelineSucceeded, PipelineFailed.</param>
/// <param name="Format">Json (the event as JSON) or Slack ({"text": ...}).</param>
/// <param name="UnhealthyFor">For UnhealthyTooLong: how long a container stays unhealthy before it alerts (hh:mm:ss; default 00:05:00).</param>
/// <param name="Secret">Signs each body (X-ControlPanel-Signature: sha256=HMAC-SHA256 hex). On update, omit or null to keep the stored one, "" to remove it. Never returned.</param>
/// <param name="AllowPrivateAddress">Allow a URL on the panel's own host (loopback, its addresses) or a link-local address.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookRequestDto(string Name, string Url, IReadOnlyList<FleetEventKind> Kinds, WebhookFormat Format = WebhookFormat.Json,
    TimeSpan? UnhealthyFor = null, string? Secret = null, bool Enabled = true, bool AllowPrivateAddress = false)
{
    public WebhookChange ToChange() => new(Name ?? "", Url ?? "", Kinds ?? [], Format, UnhealthyFor, Secret, Enabled, AllowPrivateAddress);

    // The secret must not reach a log through the record's generated ToString.
    public override string ToString() => $"{Name} {Url}";
}

/// <summary>A configured webhook; the secret only as whether one is set.</summary>
public sealed record WebhookDto(Guid Id, string Name, string Url, IReadOnlyList<FleetEventKind> Kinds, WebhookFormat Format, TimeSpan UnhealthyFor,
    bool HasSecret, bool Enabled, bool AllowPrivateAddress)
{
    public static WebhookDto From(Webhook w) => new(w.Id, w.Name, w.Url, w.Kinds, w.Format, w.UnhealthyFor, w.HasSecret, w.Enabled, w.AllowPrivateAddress);
}

/// <summary>One delivery attempt.</summary>
/// <param name="StatusCode">The receiver's HTTP status; null when it did not answer (see error).</param>
public sealed record WebhookAttemptDto(long Id, Guid DeliveryId, FleetEventKind Kind, string Summary, int Attempt, int? StatusCode, string? Error,
    double DurationMs, DateTimeOffset At, bool Succeeded)
{
    public static WebhookAttemptDto From(WebhookAttempt a) =>
        new(a.Id, a.DeliveryId, a.Kind, a.Summary, a.Attempt, a.StatusCode, a.Error, Math.Round(a.Duration.TotalMilliseconds, 1), a.At, a.Succeeded);
}
