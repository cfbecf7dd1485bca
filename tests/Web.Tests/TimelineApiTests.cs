using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Timeline;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

public sealed class TimelineApiTests : ApiTestBase
{
    private readonly string _service = "tl-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<List<JsonElement>> TimelineAsync(string url) =>
        (await Http.GetFromJsonAsync<JsonElement>(url)).EnumerateArray().ToList();

    private async Task<List<JsonElement>> WaitForAsync(string url, Func<List<JsonElement>, bool> done, string what)
    {
        List<JsonElement> entries = [];
        await LabContainers.WaitUntilAsync(async () => done(entries = await TimelineAsync(url)), TimeSpan.FromSeconds(60), what);
        return entries;
    }

    [Fact]
    public async Task ACrashLoop_IsOneCrashLoopEntryWithACount_NotAFlood()
    {
        var node = Lab.SharedNodes[0];
        await Factory.WaitUntilWatchingAsync(node.Name);
        var id = await MisbehavingContainers.RunCrashLoopAsync(Containers, node, _service);

        var entries = await WaitForAsync($"/api/containers/{node.Name}/{id}/timeline",
            e => e.Any(x => x.GetProperty("kind").GetString() == "CrashLoop" && x.GetProperty("count").GetInt32() >= 4), "a crash loop of 4 restarts");

        var loop = Assert.Single(entries, e => e.GetProperty("kind").GetString() == "CrashLoop");
        Assert.Equal(3, loop.GetProperty("exitCode").GetInt32());
        Assert.Equal(_service, loop.GetProperty("service").GetString());
        Assert.StartsWith($"restarted {loop.GetProperty("count").GetInt32()} times in", loop.GetProperty("summary").GetString());
        // The restarts and deaths it stands for are not there one by one.
        Assert.DoesNotContain(entries, e => e.GetProperty("kind").GetString() is "ContainerRestarted" or "ContainerDied");
        var onService = await TimelineAsync($"/api/services/{_service}/timeline?kind=CrashLoop,ContainerRestarted");
        Assert.Single(onService);
    }

    [Fact]
    public async Task AContainerAction_ShowsWhoDidIt()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "sigquit", "acted-on", stopSignal: "SIGQUIT", labels: new Dictionary<string, string> { [Core.Releases.ReplicaLabels.Service] = _service });
        await LabContainers.WaitUntilAsync(async () => (await Http.GetAsync($"/api/nodes/{node.Name}/containers/{id}")).IsSuccessStatusCode, TimeSpan.FromSeconds(10), "the container");

        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync($"/api/nodes/{node.Name}/containers/{id[..12]}/restart?timeout=5", null)).StatusCode);

        var who = Assert.Single(await TimelineAsync($"/api/audit?text={id[..12]}")).GetProperty("actor").GetString();
        var entries = await WaitForAsync($"/api/services/{_service}/timeline?kind=ContainerAction", e => e.Count > 0, "the action on the timeline");
        var action = Assert.Single(entries);
        Assert.Equal(who, action.GetProperty("actor").GetString());
        Assert.Equal(id, action.GetProperty("containerId").GetString());
        Assert.Equal($"restart by {who} (timeout=5s)", action.GetProperty("summary").GetString());
        // The engine's side of it is on the container's timeline too: the signal it was sent.
        await WaitForAsync($"/api/containers/{node.Name}/{id}/timeline?kind=ContainerKilled", e => e.Count == 1, "the kill the restart sent");
    }

    [Fact]
    public async Task AnUnknownKind_IsRefusedByName()
    {
        var response = await Http.GetAsync($"/api/services/{_service}/timeline?kind=OomKilled,Exploded");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("'Exploded'", body, StringComparison.Ordinal);
        Assert.Contains("OomKilled", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewer_MayReadATimeline()
    {
        using var viewer = await Factory.CreateClientAsync(Core.Security.Role.Viewer);
        var response = await viewer.GetAsync($"/api/services/{_service}/timeline?limit=5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Retention_PrunesEntriesOlderThanIt_AndKeepsTheRest()
    {
        var timeline = Factory.Services.GetRequiredService<EfTimeline>();
        var options = Factory.Services.GetRequiredService<TimelineOptions>();
        Assert.Equal(TimeSpan.FromDays(30), options.Retention);
        var now = DateTimeOffset.UtcNow;
        await timeline.RecordAsync(new FleetEvent { At = now.AddDays(-31), Kind = FleetEventKind.ReleaseCreated, Summary = "old", Service = _service }, default);
        await timeline.RecordAsync(new FleetEvent { At = now.AddDays(-1), Kind = FleetEventKind.ReleaseCreated, Summary = "recent", Service = _service }, default);

        var pruned = await timeline.PruneAsync(now - options.Retention, default);

        Assert.True(pruned >= 1);
        var left = await TimelineAsync($"/api/services/{_service}/timeline");
        Assert.Equal("recent", Assert.Single(left).GetProperty("summary").GetString());
    }
}
