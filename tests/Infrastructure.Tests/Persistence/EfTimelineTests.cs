using ControlPanel.Core.Timeline;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Tests.Persistence;

/// <summary>The timeline store on both providers: folding in the database, filters, publishing and retention.</summary>
public sealed class EfTimelineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private ProviderDatabases _databases = default!;

    public async Task InitializeAsync() => _databases = await ProviderDatabases.CreateAsync();

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    private async Task<(EfTimeline Timeline, FleetEvents Events)> TimelineAsync(string provider)
    {
        var contexts = _databases.Contexts(provider);
        await using (var db = contexts.CreateDbContext()) await db.Database.MigrateAsync();
        var events = new FleetEvents();
        return (new EfTimeline(contexts, new TimelineFolding(new TimelineOptions()), events), events);
    }

    private static FleetEvent Restart(double seconds, string container = "c1") => new()
    {
        At = Now.AddSeconds(seconds), Kind = FleetEventKind.ContainerRestarted, Summary = "restarted", Node = "node1", ContainerId = container, Service = "api",
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Restarts_FoldIntoOneStoredCrashLoop_EachChangePublished(string provider)
    {
        var (timeline, events) = await TimelineAsync(provider);
        using var stop = new CancellationTokenSource();
        var published = new List<FleetEvent>();
        var listening = Task.Run(async () =>
        {
            try { await foreach (var e in events.SubscribeAsync(stop.Token)) lock (published) published.Add(e); }
            catch (OperationCanceledException) { }
        });
        // A subscription starts when its enumeration does: publish a marker until one arrives, so none of the
        // entries below can be published before the listener is there.
        var marker = new FleetEvent { At = DateTimeOffset.UtcNow, Kind = FleetEventKind.NodeReachable, Summary = "marker" };
        await LabContainers.WaitUntilAsync(() => { events.Publish(marker); lock (published) return Task.FromResult(published.Count > 0); },
            TimeSpan.FromSeconds(30), "the subscription");

        for (var i = 0; i < 5; i++) await timeline.RecordAsync(Restart(i * 10), default);
        await timeline.RecordAsync(Restart(0, "c2"), default);

        var loop = Assert.Single(await timeline.QueryAsync(new TimelineQuery { Node = "node1", ContainerId = "c1" }, default));
        Assert.Equal(FleetEventKind.CrashLoop, loop.Kind);
        Assert.Equal(5, loop.Count);
        Assert.Equal(2, (await timeline.QueryAsync(new TimelineQuery { Service = "api" }, default)).Count);
        Assert.Single(await timeline.QueryAsync(new TimelineQuery { Service = "api", Kinds = [FleetEventKind.ContainerRestarted] }, default));
        await LabContainers.WaitUntilAsync(() => { lock (published) return Task.FromResult(published.Count(e => e != marker) == 6); }, TimeSpan.FromSeconds(30), "six publications");
        lock (published) Assert.Equal([1, 1, 3, 4, 5], published.Where(e => e.ContainerId == "c1").Select(e => e.Count));
        await stop.CancelAsync();
        await listening;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Prune_DeletesWhatEndedBeforeTheCutoff_AndKeepsALoopStillGrowing(string provider)
    {
        var (timeline, _) = await TimelineAsync(provider);
        await timeline.RecordAsync(new FleetEvent { At = Now.AddDays(-40), Kind = FleetEventKind.DeploymentStarted, Summary = "old", Service = "api" }, default);
        await timeline.RecordAsync(new FleetEvent { At = Now.AddDays(-40), Kind = FleetEventKind.CrashLoop, Summary = "loop", Service = "api", Node = "node1", ContainerId = "c9", Count = 50, LastAt = Now.AddDays(-1) }, default);
        await timeline.RecordAsync(new FleetEvent { At = Now, Kind = FleetEventKind.DeploymentStarted, Summary = "new", Service = "api" }, default);

        Assert.Equal(1, await timeline.PruneAsync(Now.AddDays(-30), default));

        Assert.Equal(["new", "loop"], (await timeline.QueryAsync(new TimelineQuery { Service = "api" }, default)).Select(e => e.Summary));
    }
}
