using ControlPanel.Core.Releases;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Core.Tests.Releases;

public sealed class HealthPollsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void WithoutAnEngineSchedule_PollsEvery50MsForTwoSeconds_ThenBacksOffByHalfToOneSecond()
    {
        var polls = new HealthPolls(_time);

        List<double> Take(int count) => [.. Enumerable.Range(0, count).Select(_ =>
        {
            var next = polls.Next();
            _time.Advance(next);
            return Math.Round(next.TotalMilliseconds, 1);
        })];

        Assert.All(Take(40), d => Assert.Equal(50, d)); // the first 2 s: a replica ready after 300 ms is seen by 350 ms
        Assert.Equal([50, 75, 112.5, 168.8, 253.1, 379.7, 569.5, 854.3, 1000, 1000], Take(10));
    }

    [Fact]
    public void WhenTheEnginesNextCheckIsKnown_SleepsUntilIt_ThenPollsQuicklyForItsResult()
    {
        var polls = new HealthPolls(_time);
        var check = _time.GetUtcNow().AddMilliseconds(1_700);

        Assert.Equal(TimeSpan.FromMilliseconds(1_700), polls.Next(check));
        _time.Advance(TimeSpan.FromMilliseconds(1_700));
        Assert.Equal([50, 50], [polls.Next(check).TotalMilliseconds, polls.Next(check).TotalMilliseconds]);

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
