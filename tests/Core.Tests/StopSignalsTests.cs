using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Tests;

public class StopSignalsTests
{
    [Theory]
    [InlineData("SIGQUIT", "SIGQUIT")]
    [InlineData("quit", "SIGQUIT")]
    [InlineData(" sigterm ", "SIGTERM")]
    [InlineData("9", "9")]
    [InlineData(null, "SIGKILL")]
    public void NormalizeSignal_AcceptsNamesAndNumbers(string? input, string expected) =>
        Assert.Equal(expected, StopSignals.NormalizeSignal(input));

    [Theory]
    [InlineData("SIGFOO")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("kill -9")]
    public void NormalizeSignal_RejectsUnknown_NamingTheField(string input)
    {
        var ex = Assert.Throws<InvalidRequestException>(() => StopSignals.NormalizeSignal(input));
        Assert.Equal("signal", ex.Field);
        Assert.Contains(input, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void ValidateTimeout_RejectsOutOfRange_NamingTheField(int seconds)
    {
        var ex = Assert.Throws<InvalidRequestException>(() => StopSignals.ValidateTimeout(seconds));
        Assert.Equal("timeout", ex.Field);
    }

    [Fact]
    public void ValidateTimeout_NullMeansContainerDefault()
    {
        Assert.Null(StopSignals.ValidateTimeout(null));
        Assert.Equal(TimeSpan.FromSeconds(5), StopSignals.ValidateTimeout(5));
    }
}
