using ControlPanel.Core.Timeline;

namespace ControlPanel.Core.Tests.Timeline;

public class TimelineFoldingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private readonly TimelineFolding _folding = new(new TimelineOptions { CrashLoopRestarts = 3, CrashLoopWindow = TimeSpan.FromMinutes(5), HealthFlapChanges = 4, HealthFlapWindow = TimeSpan.FromMinutes(10) });
    private readonly List<FleetEvent> _stored = [];
    private long _nextId = 1;

    private static FleetEvent Event(FleetEventKind kind, double seconds, string container = "c1", int? exitCode = null) => new()
    {
        At = T0.AddSeconds(seconds), Kind = kind, Summary = kind.ToString(), Node = "node1", ContainerId = container, Service = "api", ExitCode = exitCode,
    };

    // What EfTimeline does with a fold, in memory.
    private FleetEvent Record(FleetEvent entry)
    {
        var fold = _folding.Fold(entry, _stored.Where(e => e.ContainerId == entry.ContainerId).ToList());
        _stored.RemoveAll(e => fold.Absorbed.Contains(e.Id));
        if (fold.Insert is { } insert) _stored.Add(insert with { Id = _nextId++ });
        if (fold.Update is { } update) _stored[_stored.FindIndex(e => e.Id == update.Id)] = update;
        return fold.Insert is null ? fold.Result : _stored[^1];
    }

    private void Crash(double seconds, string container = "c1", int exitCode = 3)
    {
        Record(Event(FleetEventKind.ContainerDied, seconds, container, exitCode));
        Record(Event(FleetEventKind.ContainerRestarted, seconds + 0.1, container, exitCode));
    }

    [Fact]
    public void Restarts_BelowTheThreshold_StaySingleEntries()
    {
        Crash(0);
        Crash(10);
        Assert.Equal(4, _stored.Count);
        Assert.DoesNotContain(_stored, e => e.Kind == FleetEventKind.CrashLoop);
    }

    [Fact]
    public void ThirdRestartWithinTheWindow_BecomesOneCrashLoopEntry_AbsorbingTheRestartsAndDeaths()
    {
        Crash(0);
        Crash(10);
        Crash(20);
        var loop = Assert.Single(_stored);
        Assert.Equal(FleetEventKind.CrashLoop, loop.Kind);
        Assert.Equal(3, loop.Count);
        Assert.Equal(T0, loop.At);
        Assert.Equal(T0.AddSeconds(20.1), loop.LastAt);
        Assert.Equal(3, loop.ExitCode);
        Assert.Equal("restarted 3 times in 20 s (last exit code 3)", loop.Summary);
    }

    [Fact]
    public void FurtherRestarts_GrowTheOpenCrashLoop_InsteadOfAddingEntries()
    {
        for (var i = 0; i < 7; i++) Crash(i * 40);
        var loop = Assert.Single(_stored);
        Assert.Equal(7, loop.Count);
        Assert.Equal("restarted 7 times in 4 min (last exit code 3)", loop.Summary);
    }

    [Fact]
    public void RestartsSpreadWiderThanTheWindow_DoNotFold()
    {
        Crash(0);
        Crash(200);
        Crash(400);
        Assert.DoesNotContain(_stored, e => e.Kind == FleetEventKind.CrashLoop);
        Assert.Equal(3, _stored.Count(e => e.Kind == FleetEventKind.ContainerRestarted));
    }

    [Fact]
    public void ARestartAfterTheLoopWentQuiet_StartsOver()
    {
        Crash(0); Crash(10); Crash(20);
        Crash(20 + 6 * 60);
        Assert.Equal(3, _stored.Count);
        Assert.Equal(3, Assert.Single(_stored, e => e.Kind == FleetEventKind.CrashLoop).Count);
    }

    [Fact]
    public void OtherContainers_AreNotCountedIntoALoop()
    {
        Crash(0, "c1"); Crash(10, "c2"); Crash(20, "c3");
        Assert.DoesNotContain(_stored, e => e.Kind == FleetEventKind.CrashLoop);
    }

    [Fact]
    public void ADeathWithANewExitCode_UpdatesTheLoop_AndOneWithTheSameCodeChangesNothing()
    {
        Crash(0); Crash(10); Crash(20);
        var same = _folding.Fold(Event(FleetEventKind.ContainerDied, 30, exitCode: 3), _stored);
        Assert.Null(same.Insert);
        Assert.Null(same.Update);
        var other = _folding.Fold(Event(FleetEventKind.ContainerDied, 30, exitCode: 137), _stored);
        Assert.Equal(137, other.Update?.ExitCode);
        Assert.Equal(3, other.Update?.Count);
    }

    [Fact]
    public void OomKills_InALoop_AreKept_AsOneEntryCountingThem()
    {
        Crash(0); Crash(10); Crash(20);
        for (var i = 0; i < 4; i++) Record(Event(FleetEventKind.OomKilled, 30 + i * 10, exitCode: 137));

        var oom = Assert.Single(_stored, e => e.Kind == FleetEventKind.OomKilled);
        Assert.Equal(4, oom.Count);
        Assert.Equal(T0.AddSeconds(60), oom.LastAt);
        Assert.Equal("OOM killed 4 times in 30 s (exit code 137)", oom.Summary);
        Assert.Single(_stored, e => e.Kind == FleetEventKind.CrashLoop);
    }

    [Fact]
    public void HealthChanges_FoldIntoOneFlapWithACount()
    {
        for (var i = 0; i < 6; i++) Record(Event(FleetEventKind.HealthChanged, i * 30) with { Summary = i % 2 == 0 ? "health: unhealthy" : "health: healthy" });
        var flap = Assert.Single(_stored);
        Assert.Equal(FleetEventKind.HealthFlap, flap.Kind);
        Assert.Equal(6, flap.Count);
        Assert.Equal("health changed 6 times in 2 min; latest: health: healthy", flap.Summary);
    }

    [Fact]
    public void FewHealthChanges_StaySingleEntries()
    {
        Record(Event(FleetEventKind.HealthChanged, 0));
        Record(Event(FleetEventKind.HealthChanged, 60));
        Assert.Equal(2, _stored.Count(e => e.Kind == FleetEventKind.HealthChanged));
    }

    [Fact]
    public void EventsWithoutAContainer_AreAlwaysInserted()
    {
        var fold = _folding.Fold(Event(FleetEventKind.DeploymentStarted, 0) with { ContainerId = null }, _stored);
        Assert.NotNull(fold.Insert);
        Assert.Empty(fold.Absorbed);
    }

    [Fact]
    public void OomKill_OutsideALoop_IsItsOwnEntry()
    {
        var fold = _folding.Fold(Event(FleetEventKind.OomKilled, 0, exitCode: 137), _stored);
        Assert.Equal(FleetEventKind.OomKilled, fold.Insert?.Kind);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public void Validator_RefusesAThresholdBelowTwo_NamingTheSetting(int restarts, int changes)
    {
        var result = new TimelineOptionsValidator().Validate(null, new TimelineOptions { CrashLoopRestarts = restarts, HealthFlapChanges = changes });
        Assert.True(result.Failed);
        Assert.Contains("ControlPanel:Timeline:", result.FailureMessage);
    }
}
