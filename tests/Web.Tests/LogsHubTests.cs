using System.Reflection;
using System.Runtime.CompilerServices;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Docker;
using ControlPanel.Infrastructure.Docker.Logs;
using ControlPanel.TestSupport;
using ControlPanel.Web.Hubs;
using ControlPanel.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

public sealed class LogsHubTests : ApiTestBase
{
    private Task<HubConnection> ConnectAsync(string? token) => TestHubs.ConnectAsync(Factory, LogsHub.Path, token);

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
    public async Task FollowMany_WithThousandsOfCopies_FollowsEachSourceOnce_AndMoreThanAViewMayIsRefused()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "logger", "hub-copies", new Dictionary<string, string> { ["PREFIX"] = "c", ["RATE"] = "50", ["COUNT"] = "10" });
        var (viewer, _) = await Factory.CreateUserAsync(Role.Viewer);
        await using var hub = await ConnectAsync(await Factory.CreateTokenAsync(viewer));

        var lines = new List<LogLine>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var batch in hub.StreamAsync<LogBatch>("FollowMany", Enumerable.Repeat($"{node.Name}/{id[..12]}", 1_000).ToArray(), 100, timeout.Token))
        {
            lines.AddRange(batch.Lines);
            if (lines.Count >= 10) break;
        }
        Assert.Equal(Enumerable.Range(1, 10), lines.Select(l => int.Parse(l.Text.Split(' ')[1]))); // once each, not 1,000 times

        var tooMany = Enumerable.Range(0, LogViewerQuota.MaxSourcesPerView + 1).Select(i => $"{node.Name}/ghost-{i}").ToArray();
        var refused = await Assert.ThrowsAnyAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<LogBatch>("FollowMany", tooMany, 10)) { }
        });
        Assert.Contains($"at most {LogViewerQuota.MaxSourcesPerView}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamsPerUser_AreBounded_AndAllReleasedWhenTheCallerLeaves()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "logger", "hub-quota", new Dictionary<string, string> { ["PREFIX"] = "q", ["RATE"] = "20" });
        var (viewer, _) = await Factory.CreateUserAsync(Role.Viewer);
        var token = await Factory.CreateTokenAsync(viewer);
        var quota = Factory.Services.GetRequiredService<LogViewerQuota>();
        var followers = Factory.Services.GetRequiredService<LogFollowers>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        // Several connections of one user, each following the container once, up to the user's bound.
        var connections = new List<HubConnection>();
        var streams = new List<IAsyncEnumerator<LogBatch>>();
        using var leave = new CancellationTokenSource();
        for (var i = 0; i < LogViewerQuota.MaxStreamsPerUser; i++)
        {
            if (i % 10 == 0) connections.Add(await ConnectAsync(token));
            var stream = connections[^1].StreamAsync<LogBatch>("Follow", node.Name, id, 1000, leave.Token).GetAsyncEnumerator();
            Assert.True(await stream.MoveNextAsync()); // subscribed: its first batch arrived
            streams.Add(stream);
        }
        Assert.Equal(LogViewerQuota.MaxStreamsPerUser, quota.HeldBy(viewer));
        await using (var extra = await ConnectAsync(token))
        {
            var refused = await Assert.ThrowsAnyAsync<HubException>(async () =>
            {
                await foreach (var _ in extra.StreamAsync<LogBatch>("Follow", node.Name, id, 10)) { }
            });
            Assert.Contains($"at most {LogViewerQuota.MaxStreamsPerUser}", refused.Message, StringComparison.Ordinal);
        }

        // The caller leaves without ending its streams: everything it held is released.
        foreach (var c in connections) await c.DisposeAsync();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(quota.HeldBy(viewer) == 0 && followers.OpenStreams == 0), TimeSpan.FromSeconds(30), "the user's streams to be released");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - baseline < 64L * 1024 * 1024, $"managed memory grew by {(after - baseline) / 1024 / 1024} MB and stayed");
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

    [Fact]
    public async Task DisabledUser_TheirOpenLogStreamIsCut_WithinTheRevalidationInterval()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "logger", "revoked", new Dictionary<string, string> { ["PREFIX"] = "r", ["RATE"] = "20" });
        var (viewer, _) = await Factory.CreateUserAsync(Role.Viewer);
        await using var hub = await ConnectAsync(await Factory.CreateTokenAsync(viewer));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var disabledAt = DateTime.MinValue;
        LogBatch? last = null;
        string? cutBy = null;
        HttpRequestException? refused = null;
        try
        {
            await foreach (var batch in hub.StreamAsync<LogBatch>("Follow", node.Name, id, 5, timeout.Token))
            {
                last = batch;
                if (disabledAt == DateTime.MinValue && batch.Lines.Count > 0)
                {
                    await Factory.RunAsAdminAsync(s => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                        .GetRequiredService<IUserAdministration>(s).SetDisabledAsync(viewer, true, default));
                    disabledAt = DateTime.UtcNow;
                }
                if (batch.Ended)
                {
                    cutBy = batch.Note; // a long-lived connection: the hub's own re-check ends the stream
                    break;
                }
            }
        }
        catch (HttpRequestException ex)
        {
            refused = ex; // long polling re-authenticates every poll: the disabled user's next poll (or send) is refused
        }
        Assert.NotNull(last);
        Assert.NotEqual(DateTime.MinValue, disabledAt);
        // Cut by the sign-in check and nothing else: either the transport's request was refused as unauthenticated (401),
        // or the hub's own re-check ended the stream with its note. Any other failure propagates and fails the test.
        if (refused is not null) Assert.True(refused.StatusCode == System.Net.HttpStatusCode.Unauthorized, $"the transport failed with {(int?)refused.StatusCode}: {refused.Message}");
        else Assert.True(cutBy == "You were signed out; this stream has ended.", $"cut by: {cutBy ?? "nothing"}");
        Assert.False(timeout.IsCancellationRequested, "the stream was cut before the 45 s test timeout");
        Assert.True(DateTime.UtcNow - disabledAt < TimeSpan.FromSeconds(40), // 30 s revalidation, a batch, and room for a loaded machine
            $"cut {(DateTime.UtcNow - disabledAt).TotalSeconds:0} s after disabling");
    }

    [Theory]
    [InlineData("disable the user")]
    [InlineData("revoke the token")]
    public async Task RevokedAccess_OnAWebSocket_IsCutByTheHubsOwnRecheck(string revocation)
    {
        await using var panel = new PanelFactory();
        panel.UseKestrel(0);
        panel.StartServer();
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "logger", "revoked-ws", new Dictionary<string, string> { ["PREFIX"] = "w", ["RATE"] = "20" });
        var (viewer, _) = await panel.CreateUserAsync(Role.Viewer);
        var token = await panel.CreateTokenAsync(viewer);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(panel.ClientOptions.BaseAddress, LogsHub.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers["Authorization"] = $"Bearer {token}"; // a header, never the query string
            })
            .Build();
        await hub.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var disabledAt = DateTime.MinValue;
        LogBatch? last = null;
        await foreach (var batch in hub.StreamAsync<LogBatch>("Follow", node.Name, id, 5, timeout.Token))
        {
            last = batch;
            if (disabledAt == DateTime.MinValue && batch.Lines.Count > 0)
            {
                await panel.RunAsAdminAsync(async s =>
                {
                    if (revocation == "disable the user")
                    {
                        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IUserAdministration>(s).SetDisabledAsync(viewer, true, default);
                        return;
                    }
                    var tokens = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IApiTokens>(s);
                    Assert.True(await tokens.RevokeAsync(viewer, (await tokens.ListAsync(viewer, default)).Single().Id, default));
                });
                disabledAt = DateTime.UtcNow;
            }
            if (batch.Ended) break;
        }
        Assert.NotNull(last);
        Assert.True(last.Ended);
        Assert.Equal("You were signed out; this stream has ended.", last.Note);
        Assert.True(DateTime.UtcNow - disabledAt < TimeSpan.FromSeconds(40), // 30 s revalidation, a batch, and room for a loaded machine
            $"cut {(DateTime.UtcNow - disabledAt).TotalSeconds:0} s after disabling");
    }

    [Fact]
    public async Task AFollowerWhoseSourceFailsUnexpectedly_EndsTheStreamWithANoteNamingIt_AndLogsTheError()
    {
        await using var panel = new PanelFactory
        {
            // The real engine's stream, cut by an error no engine error translation knows.
            ConfigureServices = s => s.AddSingleton<ILogSource>(p => new FailsAfterLines(new DockerLogSource(p.GetRequiredService<EngineHttp>()), 3)),
        };
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "logger", "failing", new Dictionary<string, string> { ["PREFIX"] = "f", ["RATE"] = "20" });
        var (viewer, _) = await panel.CreateUserAsync(Role.Viewer);
        await using var hub = await TestHubs.ConnectAsync(panel, LogsHub.Path, await panel.CreateTokenAsync(viewer));

        var batches = new List<LogBatch>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var batch in hub.StreamAsync<LogBatch>("Follow", node.Name, id, 0, timeout.Token))
        {
            batches.Add(batch);
            if (batch.Ended) break;
        }

        Assert.Equal(3, batches.Sum(b => b.Lines.Count));
        Assert.True(batches[^1].Ended);
        var name = $"{node.Name}/{Containers.RunId}-failing";
        Assert.Equal($"Log stream of {name} ended: {FailsAfterLines.Reason}", batches[^1].Note);
        Assert.Contains(panel.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) && l.Contains($"Log stream of {name} ended unexpectedly", StringComparison.Ordinal));
    }

    /// <summary>Passes the engine's lines through, then fails as no engine error is translated.</summary>
    private sealed class FailsAfterLines(ILogSource inner, int lines) : ILogSource
    {
        public const string Reason = "the connection was reset by a test";

        public async IAsyncEnumerable<LogLine> ReadAsync(NodeDefinition node, string containerId, bool tty, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken, Action? opened = null)
        {
            var passed = 0;
            await foreach (var line in inner.ReadAsync(node, containerId, tty, query, cancellationToken, opened))
            {
                yield return line;
                // Counted on the follow stream only, past the line it resumes from (read once more to find where it is).
                if (query.Follow && (query.Since is null || line.Timestamp > query.Since) && ++passed == lines) throw new InvalidOperationException(Reason);
            }
        }
    }
}
