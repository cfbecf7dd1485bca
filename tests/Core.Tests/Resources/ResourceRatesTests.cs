using ControlPanel.Core.Resources;

namespace ControlPanel.Core.Tests.Resources;

public class ResourceRatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);

    private static ContainerCounters Counters(double seconds, ulong cpu, ulong system, double? limitCores = null, long memory = 100, long memoryLimit = 1000, long rx = 0) =>
        new(T0.AddSeconds(seconds), cpu, system, OnlineCpus: 2, limitCores, memory, memoryLimit, rx, 0, 0, 0, Pids: 3);

    [Fact]
    public void Between_OneCoreBusyOnTwoCoreHost_IsHalfTheHostAndTwiceAHalfCoreLimit()
    {
        // 10 s on a 2-core host: the host spends 20 s of CPU; the container used 10 s (one core).
        var sample = ResourceRates.Between(Counters(0, 0, 0, limitCores: 0.5), Counters(10, 10_000_000_000, 20_000_000_000, limitCores: 0.5), hostMemoryBytes: 4000)!;
        Assert.Equal(50, sample.CpuPercentOfHost, 3);
        Assert.Equal(200, sample.CpuPercentOfLimit!.Value, 3);
    }

    [Fact]
    public void Between_Rates_ArePerSecondOverTheInterval()
    {
        var sample = ResourceRates.Between(Counters(0, 0, 0, rx: 1000), Counters(4, 1, 8, rx: 5000), hostMemoryBytes: 4000)!;
        Assert.Equal(1000, sample.NetworkRxBytesPerSecond, 3);
        Assert.Null(sample.CpuPercentOfLimit);
        Assert.Equal(1000, sample.MemoryLimitBytes);
        Assert.Equal(10, sample.MemoryPercentOfLimit!.Value, 3);
    }

    [Fact]
    public void Between_LimitAtHostMemory_MeansNoLimit() =>
        Assert.Null(ResourceRates.Between(Counters(0, 0, 0), Counters(1, 1, 2, memoryLimit: 4000), hostMemoryBytes: 4000)!.MemoryLimitBytes);

    [Fact]
    public void Between_WithoutEarlierReadingOrAfterRestart_GivesNothing()
    {
        Assert.Null(ResourceRates.Between(null, Counters(1, 5, 5), 4000));
        Assert.Null(ResourceRates.Between(Counters(0, 500, 10), Counters(1, 100, 20), 4000));
    }

    [Fact]
    public void Sum_AddsUsageAndTakesTheNodesMemoryAsLimit()
    {
        var a = new ResourceSample(T0, 10, 50, 100, 1000, 1, 2, 3, 4, 5);
        var b = new ResourceSample(T0.AddSeconds(1), 20, null, 300, null, 1, 2, 3, 4, 6);
        var sum = ResourceRates.Sum([a, b], memoryLimitBytes: 8000)!;
        Assert.Equal(30, sum.CpuPercentOfHost, 3);
        Assert.Equal(400, sum.MemoryBytes);
        Assert.Equal(8000, sum.MemoryLimitBytes);
        Assert.Equal(11, sum.Pids);
        Assert.Equal(T0.AddSeconds(1), sum.At);
        Assert.Null(ResourceRates.Sum([a, b])!.MemoryLimitBytes);
    }
}

public class SampleRingTests
{
    [Fact]
    public void Add_PastCapacity_KeepsOnlyTheNewestInOrder()
    {
        var ring = new SampleRing(3);
        var t0 = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < 5; i++) ring.Add(new ResourceSample(t0.AddSeconds(i), i, null, i, null, 0, 0, 0, 0, 0));
        Assert.Equal(3, ring.Count);
        Assert.Equal([2.0, 3.0, 4.0], ring.Since(t0).Select(s => s.CpuPercentOfHost));
        Assert.Equal(t0.AddSeconds(2), ring.Oldest);
        Assert.Equal([4.0], ring.Since(t0.AddSeconds(4)).Select(s => s.CpuPercentOfHost));
    }
}

public class MinuteRollupTests
{
    [Fact]
    public void Add_NextMinute_CompletesThePreviousMinutesAverage()
    {
        var rollup = new MinuteRollup();
        var minute = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);
        Assert.Null(rollup.Add(new ResourceSample(minute.AddSeconds(10), 10, null, 100, null, 0, 0, 0, 0, 1)));
        Assert.Null(rollup.Add(new ResourceSample(minute.AddSeconds(50), 30, null, 300, null, 0, 0, 0, 0, 2)));
        var done = rollup.Add(new ResourceSample(minute.AddSeconds(70), 99, null, 999, null, 0, 0, 0, 0, 3));
        Assert.NotNull(done);
        Assert.Equal(minute, done.At);
        Assert.Equal(20, done.CpuPercentOfHost, 3);
        Assert.Equal(200, done.MemoryBytes);
        Assert.Equal(2, done.Pids);
        Assert.Null(rollup.CompleteIfBefore(minute.AddSeconds(100)));
        Assert.Equal(999, rollup.CompleteIfBefore(minute.AddMinutes(2))!.MemoryBytes);
    }
}
