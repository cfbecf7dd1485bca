using ControlPanel.Core.Logs;

namespace ControlPanel.Core.Tests.Logs;

public sealed class LogResumePointTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private static LogLine Line(int tick, string text, LogStream stream = LogStream.Stdout) => new("node", "c1", stream, T.AddTicks(tick), text);

    [Fact]
    public void OnResume_LinesAlreadyReceivedAtTheLastTimestamp_AreSkippedOnce_AndNewOnesAtItKept()
    {
        var resume = new LogResumePoint();
        // Two lines share the last timestamp (to 100 ns), as a burst does.
        Assert.All(new[] { Line(1, "a"), Line(2, "b"), Line(2, "c") }, l => Assert.False(resume.Repeats(l)));
        Assert.Equal(T.AddTicks(2), resume.Since);

        resume.Resuming();
        // The engine's 'since' includes that moment: b and c again, then d at the same moment (new), then e.
        var shown = new[] { Line(2, "b"), Line(2, "c"), Line(2, "d"), Line(3, "e") }.Where(l => !resume.Repeats(l)).Select(l => l.Text);

        Assert.Equal(["d", "e"], shown);
        Assert.Equal(T.AddTicks(3), resume.Since);
    }

    [Fact]
    public void ALineRepeatedByTheContainer_IsOnlySkippedAsOftenAsItWasReceived()
    {
        var resume = new LogResumePoint();
        resume.Repeats(Line(5, "same"));
        resume.Resuming();

        // The container wrote "same" twice at that moment, we had received it once; and stderr is another line.
        var shown = new[] { Line(5, "same"), Line(5, "same"), Line(5, "same", LogStream.Stderr) }.Where(l => !resume.Repeats(l)).ToList();

        Assert.Equal(2, shown.Count);
        Assert.Equal([LogStream.Stdout, LogStream.Stderr], shown.Select(l => l.Stream));
    }
}
