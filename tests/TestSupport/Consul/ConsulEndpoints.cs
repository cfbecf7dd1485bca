using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ControlPanel.TestSupport.Consul;

/// <summary>The v1 routes one agent of the stand-in answers, following Consul's HTTP API reference.</summary>
internal static class ConsulEndpoints
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);
    private static readonly JsonSerializerOptions Read = new() { PropertyNameCaseInsensitive = true };
    private static readonly JsonSerializerOptions Write = new() { PropertyNamingPolicy = null };

    public static void Map(IEndpointRouteBuilder app, ConsulState state, string node)
    {
        var agent = app.MapGroup("/v1/agent");
        agent.MapPut("/service/register", Handler(async http =>
        {
            var body = await BodyAsync<AgentServiceRegistration>(http);
            if (body is null) return Text(400, "Request decode failed: the body is not a service definition");
            var replace = Flag(http.Request.Query, "replace-existing-checks");
            return state.RegisterService(node, body, replace) is { } error ? Text(400, error) : Results.Ok();
        }));
        agent.MapPut("/service/deregister/{id}", (string id) =>
        {
            state.DeregisterService(node, id);
            return Results.Ok();
        });
        agent.MapPut("/service/maintenance/{id}", (HttpContext http, string id) =>
        {
            var enable = http.Request.Query["enable"].ToString();
            if (enable.Length == 0) return Text(400, "Missing value for enable");
            if (!bool.TryParse(enable, out var on)) return Text(400, $"Invalid value for enable: \"{enable}\"");
            return state.SetMaintenance(node, id, on, http.Request.Query["reason"].ToString())
                ? Results.Ok() : Text(404, $"Unknown service ID \"{id}\"");
        });
        agent.MapPut("/check/pass/{checkId}", (HttpContext http, string checkId) => Ttl(http, state, node, checkId, CheckStatus.Passing));
        agent.MapPut("/check/warn/{checkId}", (HttpContext http, string checkId) => Ttl(http, state, node, checkId, CheckStatus.Warning));
        agent.MapPut("/check/fail/{checkId}", (HttpContext http, string checkId) => Ttl(http, state, node, checkId, CheckStatus.Critical));
        agent.MapGet("/services", () => Results.Json(state.Read(() => state.AgentServices(node)).Result, Write));
        agent.MapGet("/checks", () => Results.Json(state.Read(() => state.AgentChecks(node)).Result, Write));

        var catalog = app.MapGroup("/v1/catalog");
        catalog.MapPut("/register", Handler(async http =>
        {
            var body = await BodyAsync<CatalogRegistration>(http);
            if (body is null) return Text(400, "Request decode failed: the body is not a registration");
            return state.CatalogRegister(body) is { } error ? Text(400, error) : Results.Json(true);
        }));
        catalog.MapPut("/deregister", Handler(async http =>
        {
            var body = await BodyAsync<CatalogDeregistration>(http);
            if (body is null) return Text(400, "Request decode failed: the body is not a deregistration");
            return state.CatalogDeregister(body) is { } error ? Text(400, error) : Results.Json(true);
        }));
        catalog.MapGet("/services", Handler(http => BlockingAsync(http, state, state.CatalogServices, "services")));
        catalog.MapGet("/service/{name}", (HttpContext http, string name) =>
            BlockingAsync(http, state, () => state.CatalogService(name, Tags(http)), ConsulState.ServiceTable(name)));
        catalog.MapGet("/nodes", Handler(http => BlockingAsync(http, state, state.CatalogNodes, "nodes")));

        var health = app.MapGroup("/v1/health");
        health.MapGet("/service/{name}", (HttpContext http, string name) =>
            BlockingAsync(http, state, () => state.HealthService(name, Tags(http), Flag(http.Request.Query, "passing")), ConsulState.ServiceTable(name)));
        health.MapGet("/node/{name}", (HttpContext http, string name) =>
            BlockingAsync(http, state, () => state.HealthNode(name), ConsulState.NodeTable(name)));

        app.MapGet("/v1/status/leader", () => Results.Json("127.0.0.1:8300"));
    }

    // A handler taking only the HttpContext would bind as a RequestDelegate and drop its IResult; typed as a Delegate it is written.
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    private static IResult Ttl(HttpContext http, ConsulState state, string node, string checkId, string status) =>
        state.UpdateTtl(node, checkId, status, http.Request.Query["note"].ToString()) switch
        {
            ConsulState.CheckUpdate.Updated => Results.Ok(),
            ConsulState.CheckUpdate.UnknownCheck => Text(404, $"Unknown check ID \"{checkId}\""),
            _ => Text(500, $"CheckID \"{checkId}\" does not have associated TTL"),
        };

    /// <summary>
    /// A blocking query as documented: without <c>index</c> (or with an index the data already passed) it answers at once;
    /// otherwise it waits until a write moves the watched tables past <c>index</c> or <c>wait</c> elapses, and answers
    /// either way with the current data and <c>X-Consul-Index</c>.
    /// </summary>
    private static async Task<IResult> BlockingAsync<T>(HttpContext http, ConsulState state, Func<T> query, string table)
    {
        var waitText = http.Request.Query["wait"].ToString();
        var wait = DefaultWait;
        if (waitText.Length > 0 && !GoDuration.TryParse(waitText, out wait)) return Text(400, $"Invalid wait time: \"{waitText}\"");
        if (wait <= TimeSpan.Zero) wait = DefaultWait;
        if (wait > MaxWait) wait = MaxWait;
        var indexText = http.Request.Query["index"].ToString();
        ulong minIndex = 0;
        if (indexText.Length > 0 && !ulong.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out minIndex))
            return Text(400, $"Invalid index: \"{indexText}\"");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(wait);
        while (true)
        {
            var ((result, index), nextWrite) = state.Read(() => (query(), state.TableIndex(table)));
            if (minIndex == 0 || index > minIndex || deadline.IsCancellationRequested)
            {
                http.Response.Headers["X-Consul-Index"] = index.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers["X-Consul-KnownLeader"] = "true";
                http.Response.Headers["X-Consul-LastContact"] = "0";
                return Results.Json(result, Write);
            }
            try { await nextWrite.WaitAsync(deadline.Token); }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested) { }
        }
    }

    private static async Task<T?> BodyAsync<T>(HttpContext http) where T : class
    {
        try { return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Read, http.RequestAborted); }
        catch (JsonException) { return null; }
    }

    // Consul reads a present flag without a value ("?passing") as true.
    private static bool Flag(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && (value.ToString().Length == 0 || !bool.TryParse(value, out var on) || on);

    private static List<string> Tags(HttpContext http) => http.Request.Query["tag"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();

    private static IResult Text(int status, string text) => Results.Text(text, "text/plain; charset=utf-8", statusCode: status);
}
