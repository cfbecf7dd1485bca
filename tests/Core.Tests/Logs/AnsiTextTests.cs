using ControlPanel.Core.Logs;

namespace ControlPanel.Core.Tests.Logs;

public class AnsiTextTests
{
    private static string Render(string line) =>
        string.Concat(AnsiText.Parse(line).Select(s => s.Classes is null ? s.Text : $"[{s.Classes}]{s.Text}[/]"));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("\u001b[31mred\u001b[0m done", "[fg-1]red[/] done")]
    [InlineData("\u001b[1;92mok\u001b[22m still green", "[fg-10 b]ok[/][fg-10] still green[/]")]
    [InlineData("\u001b[38;5;4mblue\u001b[39m", "[fg-4]blue[/]")]
    [InlineData("\u001b[38;2;255;0;0mtruecolour\u001b[m", "truecolour")]
    [InlineData("\u001b[44;4mbg\u001b[49;24m", "[bg-4 u]bg[/]")]
    public void SgrCodes_BecomeClasses(string input, string expected) => Assert.Equal(expected, Render(input));

    [Theory]
    [InlineData("\u001b]8;;javascript:alert(1)\u0007click\u001b]8;;\u0007", "click")]
    [InlineData("\u001b]0;window title\u001b\\after", "after")]
    [InlineData("a\u001b[2Kb\u001b[10;5Hc\u001b[?25ld", "abcd")]
    [InlineData("bell\u0007 back\bspace\r", "bell backspace")]
    [InlineData("tab\tkept", "tab\tkept")]
    [InlineData("unterminated \u001b[31", "unterminated ")]
    [InlineData("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>")]
    public void OtherEscapesAndControls_AreDropped_TextStaysText(string input, string expected) => Assert.Equal(expected, Render(input));

    [Fact]
    public void Classes_ComeOnlyFromTheFixedSet()
    {
        var spans = AnsiText.Parse("\u001b[31;42;1;2;3;4mx\u001b[97;107my");
        Assert.Equal(["x", "y"], spans.Select(s => s.Text));
        var classes = spans.SelectMany(s => s.Classes!.Split(' ')).ToHashSet();
        // x: red on green, bold, dim, italic, underlined; y: bright white on bright white, the styles kept.
        Assert.True(classes.SetEquals(["fg-1", "bg-2", "b", "dim", "i", "u", "fg-15", "bg-15"]), string.Join(" ", classes));
        Assert.All(classes, c => Assert.Matches("^(fg-[0-9]|fg-1[0-5]|bg-[0-9]|bg-1[0-5]|b|dim|i|u)$", c));
    }

    [Theory]
    [InlineData("plain line", "plain line")]
    [InlineData("\u001b[1;32mGET /orders\u001b[0m 200 in 12 ms", "GET /orders 200 in 12 ms")]
    [InlineData("\u001b]8;;https://example.invalid\u0007link\u001b]8;;\u0007 and \u001b[2Kerased\r", "link and erased")]
    [InlineData("tab\tkept, bell\u0007 dropped", "tab\tkept, bell dropped")]
    [InlineData("cut off \u001b[31", "cut off ")]
    public void Strip_LeavesPlainText(string input, string expected) => Assert.Equal(expected, AnsiText.Strip(input));
}
