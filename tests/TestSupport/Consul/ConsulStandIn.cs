using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPanel.TestSupport.Consul;

/// <summary>One request an agent of the stand-in answered (the ACL token is never kept).</summary>
public sealed record ConsulCall(DateTimeOffset At, string Agent, string Method, string Path, string Query, int StatusCode);

/// <summary>
/// A stand-in for a Consul datacenter, since no Consul agent can be installed on the lab's machines: it speaks the subset
/// of Consul's HTTP API v1 the panel uses, as documented for Consul 1.21 (agent service/check/maintenance endpoints,
/// catalog, health, status/leader), with blocking queries, check states and ACL refusal. One catalog is shared by
/// several agents; each agent is a node of that catalog with its own loopback port, as each host runs its own agent.
/// </summary>
public sealed class ConsulStandIn : IAsyncDisposable
{
    private readonly ConsulState _state;
    private readonly ConsulCheckRunner _runner;
    private readonly string? _token;
    private readonly Dictionary<string, (WebApplication App, Uri Address)> _agents = new(StringComparer.Ordinal);
    private readonly List<ConsulCall> _calls = [];

    private ConsulStandIn(string? token, string datacenter)
    {
        _token = token;
        _state = new ConsulState(datacenter, TimeProvider.System);
        _runner = new ConsulCheckRunner(_state, TimeProvider.System);
    }

    /// <summary>Starts the catalog with one agent on node <paramref name="node"/>; with a token, every other token is refused.</summary>
    public static async Task<ConsulStandIn> StartAsync(string? token = null, string node = "consul-node1", string datacenter = "dc1")
    {
        var consul = new ConsulStandIn(token, datacenter);
        try
        {
            await consul.AddAgentAsync(node);
            return consul;
        }
        catch
        {
            await consul.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first agent's HTTP address (as <c>http://127.0.0.1:PORT</c>).</summary>
    public Uri Address { get; private set; } = null!;

    public string Datacenter => _state.Datacenter;

    /// <summary>The catalog's current raft index.</summary>
    public ulong Index => _state.Index;

    /// <summary>Every request answered so far (recorded as its answer starts), in order of arrival.</summary>
    public IReadOnlyList<ConsulCall> Calls
    {
        get { lock (_calls) return _calls.OrderBy(c => c.At).ToList(); }
    }

    public Uri AgentAddress(string node) => _agents[node].Address;

    /// <summary>Starts another agent: its node joins the catalog with a passing <c>serfHealth</c> check.</summary>
    public async Task<Uri> AddAgentAsync(string node)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Use((context, next) => GuardAsync(context, next, node));
        ConsulEndpoints.Map(app, _state, node);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        _agents[node] = (app, address);
        if (_agents.Count == 1) Address = address;
        _state.JoinAgent(node, "127.0.0.1");
        return address;
    }

    /// <summary>The agent stops answering (connections refused) and its node's <c>serfHealth</c> turns critical, as after a crash.</summary>
    public async Task StopAgentAsync(string node)
    {
        var (app, _) = _agents[node];
        _agents.Remove(node);
        await app.StopAsync();
        await app.DisposeAsync();
        _state.SetCheck(node, ConsulState.SerfHealth, CheckStatus.Critical, "Agent not live or unreachable");
    }

    /// <summary>Sets any check's status and output, as if the agent had run it (e.g. a node's <c>serfHealth</c>).</summary>
    public void SetCheck(string node, string checkId, string status, string output = "")
    {
        if (!CheckStatus.IsValid(status)) throw new ArgumentException($"'{status}' is not passing, warning or critical.", nameof(status));
        if (!_state.SetCheck(node, checkId, status, output)) throw new ArgumentException($"Node '{node}' has no check '{checkId}'.", nameof(checkId));
    }

    private async Task GuardAsync(HttpContext context, RequestDelegate next, string node)
    {
        var at = DateTimeOffset.UtcNow;
        // Recorded as the response starts, so a client that has its answer always finds its call recorded.
        context.Response.OnStarting(() =>
        {
            var query = string.Join('&', context.Request.Query.Where(q => q.Key != "token").Select(q => q.Value == "" ? q.Key : $"{q.Key}={q.Value}"));
            lock (_calls) _calls.Add(new ConsulCall(at, node, context.Request.Method, context.Request.Path.Value ?? "", query, context.Response.StatusCode));
            return Task.CompletedTask;
        });
        var refusal = AclRefusal(context.Request);
        if (refusal is not null) await Refuse(context, 403, refusal);
        else if (context.Request.Query["dc"] is [{ Length: > 0 } dc] && dc != _state.Datacenter) await Refuse(context, 500, "No path to datacenter");
        else await next(context);
    }

    // Consul answers a missing token with the anonymous token's "Permission denied" and an unknown one with "ACL not found";
    // the status endpoints need no ACL.
    private string? AclRefusal(HttpRequest request)
    {
        if (_token is null || request.Path.StartsWithSegments("/v1/status")) return null;
        var bearer = request.Headers.Authorization.ToString();
        var token = request.Headers["X-Consul-Token"].ToString() is { Length: > 0 } header ? header
            : bearer.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? bearer["Bearer ".Length..].Trim()
            : request.Query["token"].ToString();
        if (token.Length == 0) return $"Permission denied: anonymous token lacks permission '{Permission(request)}'";
        return token == _token ? null : "ACL not found";
    }

    private static string Permission(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var write = HttpMethods.IsPut(request.Method);
        var node = path.StartsWith("/v1/catalog/nodes", StringComparison.Ordinal) || path.StartsWith("/v1/health/node", StringComparison.Ordinal)
            || path.StartsWith("/v1/catalog/register", StringComparison.Ordinal) || path.StartsWith("/v1/catalog/deregister", StringComparison.Ordinal);
        return (node ? "node:" : "service:") + (write ? "write" : "read");
    }

    private static Task Refuse(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        foreach (var (app, _) in _agents.Values)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
