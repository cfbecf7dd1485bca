using ControlPanel.Core.Builds;
using ControlPanel.Core.Security;
using ControlPanel.Web.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ControlPanel.Web.Tests;

/// <summary>A build followed live over SignalR, as any client (CLI, other tools) would.</summary>
public sealed class BuildsHubTests : BuildTestBase
{
    private async Task<HubConnection> ConnectAsync()
    {
        var (viewer, _) = await Factory.CreateUserAsync(Role.Viewer);
        return await TestHubs.ConnectAsync(Factory, BuildsHub.Path, await Factory.CreateTokenAsync(viewer));
    }

    [Fact]
    public async Task Follow_StreamsOutputStepsAndPushProgressLive_ThenTheFinishedBuild()
    {
        Repo.Write("Dockerfile", Dockerfile($"RUN echo {Unique} && sleep 2", "COPY data.bin /data.bin")).Write("data.bin", new string('x', 300_000) + Unique);
        Repo.Commit("followed");
        await DefineServiceAsync($"hub-{Unique}");
        await using var hub = await ConnectAsync();
        var started = await StartAsync($"hub-{Unique}");

        var updates = new List<BuildUpdate>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var update in hub.StreamAsync<BuildUpdate>("Follow", started.Id, timeout.Token)) updates.Add(update);

        Assert.True(updates.Count >= 3, $"only {updates.Count} updates");
        Assert.Equal(BuildStatus.Running, updates[0].Build.Status);
        Assert.Single(updates, u => u.Ended);
        Assert.True(updates[^1].Ended);
        var final = updates[^1].Build;
        Assert.Equal(BuildStatus.Succeeded, final.Status);
        Assert.Equal((await GetAsync(started.Id)).Digest, final.Digest);
        var lines = updates.SelectMany(u => u.Lines).ToList();
        Assert.Contains(lines, l => l.StartsWith("Step 2/", StringComparison.Ordinal) && l.Contains("RUN echo", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == Unique); // the RUN step's own output
        // Per-layer push progress: each new layer ends "Pushed" (a local registry is quick, so byte counts between updates are not guaranteed).
        var layers = updates.SelectMany(u => u.Layers).GroupBy(l => l.Layer).Select(g => g.Last()).ToList();
        Assert.True(layers.Count >= 2 && layers.Any(l => l.Status == "Pushed"), $"layers: {string.Join(", ", layers)}");
        Assert.All(layers, l => Assert.True(l.Status is "Pushed" or "Layer already exists" || l.Status.StartsWith("Mounted from", StringComparison.Ordinal), l.ToString()));

        // A follower arriving after the end gets the stored log and the record at once.
        var late = new List<BuildUpdate>();
        await foreach (var update in hub.StreamAsync<BuildUpdate>("Follow", started.Id, timeout.Token)) late.Add(update);
        var only = Assert.Single(late);
        Assert.True(only.Ended);
        Assert.Equal(lines, only.Lines); // live, every line arrived once and in order
    }

    [Fact]
    public async Task Follow_OfAnUnknownBuild_FailsNamingIt()
    {
        await using var hub = await ConnectAsync();
        var id = Guid.NewGuid();
        var ex = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<BuildUpdate>("Follow", id)) { }
        });
        Assert.Contains(id.ToString(), ex.Message, StringComparison.Ordinal);
    }
}
