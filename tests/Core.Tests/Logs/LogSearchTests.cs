using System.Text.RegularExpressions;
using ControlPanel.Core.Common;
using ControlPanel.Core.Logs;

namespace ControlPanel.Core.Tests.Logs;

public sealed class LogSearchTests
{
    [Fact]
    public void APatternThatRunsPastItsLimitOnALine_IsRefusedNamingTheSearch()
    {
        // Nested alternatives backtrack exponentially on a long run of 'a' that cannot end the match.
        var pattern = new Regex("^(a|aa)+$", RegexOptions.None, TimeSpan.FromMilliseconds(10));

        var error = Assert.Throws<InvalidRequestException>(() => LogSearch.Matches(pattern, new string('a', 60) + "!"));

        Assert.Equal("search", error.Field);
        Assert.Contains("took longer than 10 ms", error.Message, StringComparison.Ordinal);
        Assert.True(LogSearch.Matches(pattern, "aaaa"));
        Assert.False(LogSearch.Matches(pattern, "b"));
    }
}
