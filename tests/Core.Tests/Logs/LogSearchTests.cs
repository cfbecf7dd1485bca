using ControlPanel.Core.Common;
using ControlPanel.Core.Logs;

namespace ControlPanel.Core.Tests.Logs;

public sealed class LogSearchTests
{
    [Fact]
    public void APatternThatRunsPastItsLimitOnALine_IsRefusedNamingTheSearch()
    {
        // Nested alternatives backtrack exponentially on a long run of 'a' that cannot end the match.
        var search = LogSearch.Create("^(a|aa)+$", regex: true, caseSensitive: false, TimeSpan.FromMilliseconds(10))!;

        var error = Assert.Throws<InvalidRequestException>(() => search.Matches(new string('a', 60) + "!"));

        Assert.Equal("search", error.Field);
        Assert.Contains("took longer than 10 ms", error.Message, StringComparison.Ordinal);
        Assert.True(search.Matches("aaaa"));
        Assert.False(search.Matches("b"));
    }

    [Fact]
    public void PlainText_MatchesLiterally_AndIgnoresCaseUnlessAsked()
    {
        var plain = LogSearch.Create("a.b (x)", regex: false, caseSensitive: false)!;
        Assert.True(plain.Matches("see A.B (X) here"));
        Assert.False(plain.Matches("axb (x)"));

        var cased = LogSearch.Create("Error", regex: false, caseSensitive: true)!;
        Assert.True(cased.Matches("an Error"));
        Assert.False(cased.Matches("an error"));

        var regex = LogSearch.Create("a.b", regex: true, caseSensitive: false)!;
        Assert.True(regex.Matches("axb"));

        Assert.Null(LogSearch.Create("", regex: true, caseSensitive: false));
        Assert.Null(LogSearch.Create(null, regex: false, caseSensitive: false));
    }

    [Fact]
    public void ARegexThatDoesNotCompile_IsRefusedNamingTheFieldAndThePattern()
    {
        var error = Assert.Throws<InvalidRequestException>(() => LogSearch.Create("alpha (", regex: true, caseSensitive: false, field: "q"));

        Assert.Equal("q", error.Field);
        Assert.Contains("'alpha ('", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid regular expression", error.Message, StringComparison.Ordinal);
        Assert.Contains("Not enough )'s", error.Message, StringComparison.Ordinal);
        // The same text as plain text is no pattern at all: nothing to refuse.
        Assert.True(LogSearch.Create("alpha (", regex: false, caseSensitive: false)!.Matches("alpha (1)"));
    }

    [Fact]
    public void Highlight_CutsTheTextIntoMatchesAndTheRest()
    {
        var search = LogSearch.Create("o+", regex: true, caseSensitive: false)!;

        Assert.Equal([("f", false), ("oo", true), (" b", false), ("o", true), ("x", false)], search.Highlight("foo box"));
    }
}
