using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>One request as Consul would have seen it.</summary>
public sealed record ConsulRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What to answer: a status, a body (the documented example), the X-Consul-Index to send, if any, and whether ACLs filtered it.</summary>
public sealed record ConsulAnswer(int Status, string Body, ulong? Index = null, bool FilteredByAcls = false);

/// <summary>
/// Kestrel on 127.0.0.1 that records every request and answers through a handler, so contract tests check the client's
/// real HTTP requests against Consul's documented examples (not a mock of the client).
/// </summary>
public sealed class RecordingConsul : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingConsul(WebApplication app) => _app = app;

    public ConcurrentQueue<ConsulRequest> Requests { get; } = new();

    public string Address { get; private set; } = "";

    public static async Task<RecordingConsul> StartAsync(Func<ConsulRequest, ConsulAnswer> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var consul = new RecordingConsul(app);
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            var request = new ConsulRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
            consul.Requests.Enqueue(request);
            var reply = answer(request);
            context.Response.StatusCode = reply.Status;
            if (reply.Index is { } index) context.Response.Headers["X-Consul-Index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (reply.FilteredByAcls) context.Response.Headers["X-Consul-Results-Filtered-By-ACLs"] = "true";
            context.Response.ContentType = reply.Status < 300 ? "application/json" : "text/plain; charset=utf-8";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        });
        await app.StartAsync();
        consul.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return consul;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
