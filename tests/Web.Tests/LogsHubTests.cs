using System.Reflection;
using ControlPanel.Core.Logs;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using ControlPanel.Web.Hubs;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ControlPanel.Web.Tests;

public sealed class LogsHubTests : ApiTestBase
{
    private async Task<HubConnection> ConnectAsync(string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, LogsHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling; // the test server has no real sockets
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    [Fact]
    public async Task FollowMany_StreamsThreeNodesMerged_EachBatchInTimestampOrder()
    {
        var sources = new List<string>();
        foreach (var node in Lab.SharedNodes)
        {
            var id = await Containers.RunAsync(node, "logger", $"hub-{node.Name}", new Dictionary<string, string> { ["PREFIX"] = node.Name, ["RATE"] = "50", ["COUNT"] = "40" });
            sources.Add($"{node.Name}/{id}");
        }
        var (viewer, _) = await Factory.CreateUserAsync(Role.Viewer);
        await using var hub = await ConnectAsync(await Factory.CreateTokenAsync(viewer));

        var lines = new List<LogLine>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var batch in hub.StreamAsync<LogBatch>("FollowMany", sources.ToArray(), 100, timeout.Token))
        {
            Assert.True(batch.Lines.Zip(batch.Lines.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp), "a batch is in timestamp order");
            lines.AddRange(batch.Lines);
            if (lines.Count >= 120) break;
        }

        Assert.Equal(120, lines.Count);
        foreach (var node in Lab.SharedNodes)
            Assert.Equal(Enumerable.Range(1, 40), lines.Where(l => l.Node == node.Name).Select(l => int.Parse(l.Text.Split(' ')[1])));
    }

    [Fact]
    public async Task UnknownContainer_FailsTheStreamNamingIt()
    {
        var (viewer, _) = await Factory.CreateUserAsync(Role.Viewer);
        await using var hub = await ConnectAsync(await Factory.CreateTokenAsync(viewer));
        var ex = await Assert.ThrowsAnyAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<LogBatch>("Follow", "node1", "ghost-container", 10)) { }
        });
        Assert.Contains("ghost-container", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_CannotConnect()
    {
        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(token: null));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public void EveryHubMethod_NamesAPermissionPolicy()
    {
        var hubs = typeof(LogsHub).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Hub))).ToList();
        Assert.NotEmpty(hubs);
        var unguarded = from hub in hubs
                        from method in hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                        let policy = method.GetCustomAttribute<AuthorizeAttribute>()?.Policy ?? hub.GetCustomAttribute<AuthorizeAttribute>()?.Policy
                        where !Policies.TryParse(policy, out _)
                        select $"{hub.Name}.{method.Name}";
        Assert.Empty(unguarded);
    }
}
