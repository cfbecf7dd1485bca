using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;
using ControlPanel.Web.Components.Pages.Top;

namespace ControlPanel.Web.Tests.Resources;

public sealed class TopSortTests
{
    [Fact]
    public void DefaultOrder_IsByCpu_LargestFirst_TiesByNodeAndName()
    {
        var rows = new[] { Row("b", cpu: 5), Row("a", cpu: 5), Row("c", cpu: 80), Row("d", cpu: 0.1) };

        var sorted = TopSort.Apply(rows, TopSortKey.Cpu, ascending: false).Select(r => r.Container.Name);

        Assert.Equal(["c", "a", "b", "d"], sorted);
    }

    [Fact]
    public void MemoryPercent_PutsContainersWithoutALimitLast_ByMemoryUsed()
    {
        var rows = new[] { Row("unlimited-small", memory: 10), Row("half", memory: 50, limit: 100), Row("unlimited-big", memory: 900), Row("full", memory: 95, limit: 100) };

        var sorted = TopSort.Apply(rows, TopSortKey.MemoryPercent, ascending: false).Select(r => r.Container.Name);

        Assert.Equal(["full", "half", "unlimited-big", "unlimited-small"], sorted);
    }

    [Fact]
    public void Marks_NearLimitFromNinetyPercent_LoopFromThreeRestartsOrAFoldedCrashLoop()
    {
        Assert.True(Row("a", memory: 90, limit: 100).NearMemoryLimit);
        Assert.False(Row("a", memory: 89, limit: 100).NearMemoryLimit);
        Assert.False(Row("a", memory: 10_000).NearMemoryLimit);
        Assert.True((Row("a") with { RestartsLastHour = TopRow.LoopRestarts }).RestartingInLoop);
        Assert.False((Row("a") with { RestartsLastHour = TopRow.LoopRestarts - 1 }).RestartingInLoop);
        Assert.True((Row("a") with { CrashLoop = true }).IsMarked);
        Assert.True((Row("a") with { OomKilledLastHour = true }).IsMarked);
        Assert.False(Row("a").IsMarked);
    }

    private static TopRow Row(string name, double cpu = 1, long memory = 1, long? limit = null) => new(
        new ContainerSummary
        {
            Node = "node1", Id = name + "-id", Name = name, Image = "busybox", ImageId = "sha256:1", State = ContainerState.Running,
            Status = "Up", Health = ContainerHealth.None, Created = DateTimeOffset.UnixEpoch, Labels = new Dictionary<string, string>(), Ports = [],
        },
        null,
        new ResourceSample(DateTimeOffset.UnixEpoch, cpu, null, memory, limit, 0, 0, 0, 0, 1),
        0, false, false, null);
}
