using ControlPanel.Core.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ControlPanel.Web.Api;

/// <summary>
/// Turns the panel's errors into RFC 7807 problem details with the user's words and the engine's own
/// message. Anything unexpected becomes a plain 500: never a stack trace.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        if (problem.Status >= 500) logger.LogError(exception, "Request {Path} failed", http.Request.Path);
        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        InvalidRequestException e => new ValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
        {
            Status = StatusCodes.Status400BadRequest, Title = "Invalid request", Detail = e.Message,
        },
        NodeNotFoundException e => Problem(404, "Node not found", e.Message, ("node", e.Node)),
        Core.Fleet.NodeInUseException e => Problem(409, "The node runs replicas", e.Message, ("node", e.Node), ("services", e.Services)),
        ContainerNotFoundException e => Problem(404, "Container not found", e.Message, ("node", e.Node), ("container", e.Container)),
        EngineRefusedException e => Problem(502, "The engine refused", e.Message, ("node", e.Node), ("engineMessage", e.EngineMessage)),
        EngineUnavailableException e => Problem(503, "Node unreachable", e.Message, ("node", e.Node)),
        Core.Services.ServiceNotFoundException e => Problem(404, "Service not found", e.Message, ("service", e.Service)),
        Core.Registries.RegistryNotFoundException e => Problem(404, "Registry not found", e.Message, ("registry", e.Registry)),
        Core.Builds.BuildNotFoundException e => Problem(404, "Build not found", e.Message, ("build", e.Id)),
        Core.Webhooks.WebhookNotFoundException e => Problem(404, "Webhook not found", e.Message, ("webhook", e.Id)),
        Core.Pipelines.Push.PushHookNotFoundException e => Problem(404, "Push hook not found", e.Message, ("service", e.Service)),
        Core.Pipelines.Push.PushDeliveryNotFoundException e => Problem(404, "Push delivery not found", e.Message, ("service", e.Service), ("deliveryId", e.DeliveryId)),
        Core.Releases.DeploymentNotFoundException e => Problem(404, "Deployment not found", e.Message, ("deployment", e.Id)),
        Core.Pipelines.PipelineNotFoundException e => Problem(404, "Pipeline not found", e.Message, ("pipeline", e.Id)),
        Core.Registries.RegistryException e => Problem(502, "The registry refused or did not answer", e.Message, ("registry", e.Registry)),
        Core.Releases.DeploymentInProgressException e => Problem(409, "A deployment of this service is running", e.Message, ("service", e.Service), ("deployment", e.Deployment), ("holder", e.Holder)),
        Core.Security.PermissionDeniedException e => Problem(403, "Forbidden", e.Message),
        Core.Audit.AuditLogUnavailableException e => Problem(503, "Audit log unavailable", e.Message, ("action", e.Action)),
        BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 0 } path } json } => JsonProblem(path, json),
        BadHttpRequestException e => Problem(e.StatusCode, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(e.StatusCode), e.Message),
        _ => Problem(500, "Unexpected error", "The panel hit an unexpected error; it has been logged."),
    };

    /// <summary>A body that does not bind, in the client's words: the field, and what it may hold — never a .NET type name.</summary>
    private static ValidationProblemDetails JsonProblem(string path, System.Text.Json.JsonException json)
    {
        var field = path.TrimStart('$', '.') is { Length: > 0 } f ? f : "body";
        var reason = JsonErrors.Explain(field, json.Message);
        return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
        {
            Status = StatusCodes.Status400BadRequest, Title = "Invalid request", Detail = $"The request body is not the JSON expected at '{path}': {reason}",
        };
    }

    private static ProblemDetails Problem(int status, string title, string detail, params (string Key, object Value)[] extensions)
    {
        var p = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions) p.Extensions[key] = value;
        return p;
    }
}
