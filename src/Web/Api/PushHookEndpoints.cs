using ControlPanel.Core.Audit;
using ControlPanel.Core.Pipelines.Push;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

/// <summary>
/// Push to deploy: the hook URL git hosts POST their push events to (authenticated by the hook's signature only, no
/// session or token), and the API that sets a service's hook up and reads its deliveries.
/// </summary>
public static class PushHookEndpoints
{
    /// <summary>
    /// Push payloads are a few KB (a push's commits are listed, not their diffs); GitHub caps its own at 25 MB, but the URL
    /// is public and a body is read before its signature can be checked, so the cap stays small.
    /// </summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>The hook URL's path for a service.</summary>
    public static string HookPath(string service) => $"/hooks/push/{Uri.EscapeDataString(service)}";

    public static IEndpointRouteBuilder MapPushHookApi(this IEndpointRouteBuilder app)
    {
        // Anonymous by design: the signature is the credential. Nothing here binds a form, so antiforgery has nothing to check.
        // Its clients are git hosts, not clients generated from the API document: the README describes it instead.
        app.MapPost("/hooks/push/{service}", ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

        var hooks = app.MapGroup("/api/services/{name}/push-hook").WithTags("Push to deploy").ProducesAuthProblems();

        hooks.MapGet("/", async (string name, HttpRequest request, PushHookService service, CancellationToken ct) =>
                PushHookDto.From(await service.GetAsync(name, ct) ?? throw new PushHookNotFoundException(name), HookUrl(request, name), null))
            .WithName("GetPushHook")
            .WithSummary("The service's push hook (URL, auto-deploy); 404 when the service or its hook does not exist. The secret is never returned.")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);

        hooks.MapPut("/", async (string name, PushHookRequestDto body, HttpRequest request, PushHookService service, CancellationToken ct) =>
            {
                var saved = await service.SaveAsync(name, body.AutoDeploy, body.RotateSecret, ct);
                return PushHookDto.From(saved.Hook, HookUrl(request, name), saved.Secret);
            })
            .WithName("SavePushHook")
            .WithSummary("Creates the push hook or changes it. A new hook, or rotateSecret: true (default false), gets a new secret, returned this once; the old one stops working.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Deploy);

        hooks.MapDelete("/", async (string name, PushHookService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(name, ct);
                return Results.NoContent();
            })
            .WithName("DeletePushHook")
            .WithSummary("Removes the push hook and its delivery log; its URL answers 401 from then on.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Deploy);

        hooks.MapGet("/deliveries", async (string name, PushHookService service, CancellationToken ct, int limit = 50) =>
                (await service.DeliveriesAsync(name, limit, ct)).Select(PushDeliveryDto.From))
            .WithName("ListPushDeliveries")
            .WithSummary("The hook's authenticated deliveries, newest first (up to 500): outcome, branch, commit, pusher, pipeline.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);

        hooks.MapGet("/deliveries/{deliveryId}", async (string name, string deliveryId, PushHookService service, CancellationToken ct) =>
                PushDeliveryDetailDto.From(await service.DeliveryAsync(name, deliveryId, ct)))
            .WithName("GetPushDelivery")
            .WithSummary("One delivery with the pipeline it started and that pipeline's status.")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.ViewFleet);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(string service, HttpContext http, PushReceiver receiver, RefusalTally refusals, IAuditLog audit, TimeProvider time,
        CancellationToken ct)
    {
        var request = http.Request;
        var client = http.Connection.RemoteIpAddress?.ToString();
        var headers = PushVerification.Headers.Where(h => request.Headers.ContainsKey(h))
            .ToDictionary(h => h, h => request.Headers[h].ToString(), StringComparer.OrdinalIgnoreCase);
        // Headers first: a request no git host would send is refused before a byte of its body is read.
        if (receiver.RefuseByHeaders(service, headers, client) is { } early) return await RefusedAsync(http, early, refusals, audit, time);
        if (request.ContentLength > MaxBodyBytes) return TooLarge();
        var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > MaxBodyBytes) return TooLarge();
            body.Write(buffer, 0, read);
        }
        var receipt = await receiver.ReceiveAsync(service, headers, body.GetBuffer().AsMemory(0, (int)body.Length), client, ct);
        var dto = PushReceiptDto.From(receipt);
        return receipt.Kind switch
        {
            PushReceiptKind.Unauthorized => await RefusedAsync(http, receipt, refusals, audit, time),
            PushReceiptKind.Invalid => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a push payload", detail: receipt.Message),
            PushReceiptKind.Ping => Results.Ok(dto),
            // The host shows the delivery as failed, with the reason, where the person who set it up will look.
            PushReceiptKind.Failed => Results.UnprocessableEntity(dto),
            _ => Results.Json(dto, statusCode: StatusCodes.Status202Accepted),
        };
    }

    /// <summary>
    /// 401, counted per client address and minute like the API's anonymous refusals (<see cref="RefusalTally"/>): the
    /// first of a minute is audited, the rest become one row, and past the limit the client gets 429 with Retry-After.
    /// </summary>
    private static async Task<IResult> RefusedAsync(HttpContext http, PushReceipt receipt, RefusalTally refusals, IAuditLog audit, TimeProvider time)
    {
        var client = http.Connection.RemoteIpAddress?.ToString();
        var target = $"{http.Request.Method} {http.Request.Path}";
        var verdict = refusals.Count(client, target);
        if (verdict == RefusalVerdict.Throttled)
        {
            var wait = Math.Max(1, (int)Math.Ceiling((refusals.MinuteEnds - time.GetUtcNow()).TotalSeconds));
            http.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: $"More than {refusals.LimitPerMinute} refused deliveries this minute from this address.");
        }
        if (verdict == RefusalVerdict.Record) await audit.RecordAsync(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = Core.Security.Actor.Anonymous(client).Name, ClientAddress = client, Action = RefusalTally.Action, Target = target, Succeeded = false,
            Error = receipt.Message, Duration = TimeSpan.Zero,
        }, CancellationToken.None);
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: receipt.Message);
    }

    private static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
        detail: $"A push payload may be at most {MaxBodyBytes / 1024 / 1024} MB.");

    private static string HookUrl(HttpRequest request, string service) => $"{request.Scheme}://{request.Host}{request.PathBase}{HookPath(service)}";
}

/// <param name="Outcome">started, replay, ignored, ping, invalid or failed.</param>
/// <param name="PipelineId">The pipeline requested, when started.</param>
public sealed record PushReceiptDto(string Outcome, string Message, Guid? PipelineId)
{
    public static PushReceiptDto From(PushReceipt r) => new(r.Kind.ToString().ToLowerInvariant(), r.Message, r.PipelineId);
}

/// <param name="AutoDeploy">On: a push to the service's branch builds, releases and deploys. Off: it only builds.</param>
/// <param name="RotateSecret">
/// For an existing hook: make a new secret (the old one stops working). Off by default, so changing auto-deploy never
/// breaks the git host's copy of the secret by surprise. A new hook always gets one.
/// </param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record PushHookRequestDto(bool AutoDeploy = true, bool RotateSecret = false);

/// <param name="Url">Where the git host sends its push events.</param>
/// <param name="Secret">Only in the answer that created or rotated it; put it in the host's secret field. Never shown again.</param>
public sealed record PushHookDto(string Service, string Url, bool AutoDeploy, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset SecretSetAt, string? Secret)
{
    public static PushHookDto From(PushHook h, string url, string? secret) => new(h.Service, url, h.AutoDeploy, h.CreatedAt, h.CreatedBy, h.SecretSetAt, secret);

    // The secret must not reach a log through the record's generated ToString.
    public override string ToString() => $"{Service} {Url}";
}

public sealed record PushDeliveryDto(string Provider, string DeliveryId, DateTimeOffset ReceivedAt, string Event, string? Ref, string? Branch, string? Commit,
    string? Pusher, PushOutcome Outcome, string Message, Guid? PipelineId)
{
    public static PushDeliveryDto From(PushDelivery d) =>
        new(d.Provider, d.DeliveryId, d.ReceivedAt, d.Event, d.Ref, d.Branch, d.Commit, d.Pusher, d.Outcome, d.Message, d.PipelineId);
}

/// <param name="PipelineStatus">The pipeline's status now; null when the delivery started none (or it is no longer kept).</param>
public sealed record PushDeliveryDetailDto(PushDeliveryDto Delivery, Guid? PipelineId, Core.Pipelines.PipelineStatus? PipelineStatus, bool? PipelineDeploys,
    string? PipelineMessage)
{
    public static PushDeliveryDetailDto From(PushDeliveryDetail d) =>
        new(PushDeliveryDto.From(d.Delivery), d.Pipeline?.Id ?? d.Delivery.PipelineId, d.Pipeline?.Status, d.Pipeline?.Deploy, d.Pipeline?.Message);
}
