using System.Diagnostics;
using ControlPanel.Core.Telemetry;

namespace ControlPanel.Infrastructure.Docker.Telemetry;

/// <summary>
/// Sits in front of every request to an engine (Docker.DotNet's and the raw log and exec streams) and records it:
/// a span and the <see cref="ControlPanelTelemetry.EngineCallDuration"/> histogram, by node and operation. The
/// time is until the engine answers (its headers): a stream that stays open afterwards is not a slow call.
/// </summary>
internal sealed class MeasuredEngineHandler(string node, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = EngineOperation.Of(request.Method, request.RequestUri);
        using var activity = ControlPanelTelemetry.StartEngineCall(node, operation);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            outcome = status < 400 ? "ok" : $"{status / 100}xx";
            activity?.SetTag("http.response.status_code", status);
            if (status >= 500) activity?.SetStatus(ActivityStatusCode.Error);
            return response;
        }
        catch (Exception ex)
        {
            if (ex is OperationCanceledException) outcome = "cancelled";
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            ControlPanelTelemetry.RecordEngineCall(node, operation, outcome, Stopwatch.GetElapsedTime(started));
        }
    }
}
