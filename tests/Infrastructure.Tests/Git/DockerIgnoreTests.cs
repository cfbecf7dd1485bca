using ControlPanel.Infrastructure.Git;

namespace ControlPanel.Infrastructure.Tests.Git;

public class DockerIgnoreTests
{
    private const string Rules = """
        # comments and blank lines are skipped

        *.log
        !keep.log
        /secrets
        docs/**/*.md
        **/node_modules
        ./build/
        temp?
        [ab].txt
        """;

    [Theory]
    [InlineData("app.log", true)]
    [InlineData("keep.log", false)]              // re-included by a later '!' rule
    [InlineData("logs/app.log", false)]           // *.log matches at the root only, as in Docker
    [InlineData("secrets", true)]
    [InlineData("secrets/key.pem", true)]         // inside an excluded folder
    [InlineData("src/secrets", false)]
    [InlineData("docs/a/b/readme.md", true)]
    [InlineData("docs/readme.md", true)]          // ** matches no folder too
    [InlineData("docs/readme.txt", false)]
    [InlineData("node_modules/x.js", true)]
    [InlineData("web/node_modules/x.js", true)]
    [InlineData("build/out.bin", true)]
    [InlineData("temp1", true)]
    [InlineData("temp12", false)]
    [InlineData("a.txt", true)]
    [InlineData("c.txt", false)]
    [InlineData("Dockerfile", false)]
    public void Excludes_FollowsDockersRules(string path, bool excluded) => Assert.Equal(excluded, DockerIgnore.Parse(Rules).Excludes(path));

    [Theory]
    [InlineData("[^a-c]x", "dx", true)]
    [InlineData("[^a-c]x", "bx", false)]
    [InlineData("[a-c]/x", "c/x", true)]
    [InlineData(@"\*.md", "*.md", true)]            // '\' escapes, as on Linux
    [InlineData(@"\*.md", "a.md", false)]
    [InlineData("?", "/", false)]                   // no wildcard matches a '/'
    [InlineData("a*", "ab/c", true)]               // the parent folder matches
    [InlineData("a*", "b/ab", false)]
    [InlineData("**", "any/depth/at/all", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/xb", false)]
    [InlineData("src/../secret", "secret", true)]   // cleaned like Go's filepath.Clean
    [InlineData("[unclosed", "[unclosed", true)]    // taken literally
    public void Excludes_MatchesGoGlobsPerSegment(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).Excludes(path));

    [Fact]
    public async Task PathologicalPattern_IsMatchedWithoutBacktracking()
    {
        // A regular expression engine backtracks through every way of splitting the path among the **s and *s:
        // this took the old matcher CPU-minutes. The bound only stops a hang from holding the test run.
        var ignore = DockerIgnore.Parse("**/**/**/**/**/**/**/**/*a*a*a*a*a*a*a*b");
        var deep = string.Join('/', Enumerable.Repeat(new string('a', 40), 30));

        var result = await Task.Run(() => (ignore.Excludes(deep), ignore.Excludes(deep + "b"), ignore.Excludes("aaaaaaab/inside"))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((false, true, true), result);
    }

    [Fact]
    public void LastMatchingRuleWins()
    {
        var ignore = DockerIgnore.Parse("!important.txt\n*.txt");
        Assert.True(ignore.Excludes("important.txt"));
        Assert.False(DockerIgnore.Parse(null).Excludes("anything"));
    }
}
