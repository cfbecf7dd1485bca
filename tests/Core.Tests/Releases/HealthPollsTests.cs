using ControlPanel.Core.Releases;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Core.Tests.Releases;

public sealed class HealthPollsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void WithoutAnEngineSchedule_PollsBackOffFrom50MsDoublingToOneSecond()
    {
        var polls = new HealthPolls(_time);

        var delays = Enumerable.Range(0, 8).Select(_ => polls.Next().TotalMilliseconds).ToList();

        Assert.Equal([50, 100, 200, 400, 800, 1000, 1000, 1000], delays);
    }

    [Fact]
    public void WhenTheEnginesNextCheckIsKnown_SleepsUntilIt_ThenPollsQuicklyForItsResult()
    {
        var polls = new HealthPolls(_time);
        var check = _time.GetUtcNow().AddMilliseconds(1_700);

        Assert.Equal(TimeSpan.FromMilliseconds(1_700), polls.Next(check));
        _time.Advance(TimeSpan.FromMilliseconds(1_700));
        Assert.Equal([50, 100], [polls.Next(check).TotalMilliseconds, polls.Next(check).TotalMilliseconds]);

        // The check ran (still starting): the next one is an interval later, and the quick polls start again after it.
        var following = _time.GetUtcNow().AddSeconds(2);
        Assert.Equal(TimeSpan.FromSeconds(2), polls.Next(following));
        Assert.Equal(TimeSpan.FromMilliseconds(50), polls.Next(following));
    }

    [Fact]
    public void ACheckDueLongAfterwards_IsWaitedForAtMostFiveSecondsALook_AndOneAlreadyDueIsPolledForAtOnce()
    {
        var polls = new HealthPolls(_time);

        Assert.Equal(HealthPolls.LongestUntilCheck, polls.Next(_time.GetUtcNow().AddHours(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(50), polls.Next(_time.GetUtcNow().AddSeconds(-1)));
    }
}
