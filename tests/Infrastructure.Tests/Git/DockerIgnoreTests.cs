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

    [Fact]
    public void LastMatchingRuleWins()
    {
        var ignore = DockerIgnore.Parse("!important.txt\n*.txt");
        Assert.True(ignore.Excludes("important.txt"));
        Assert.False(DockerIgnore.Parse(null).Excludes("anything"));
    }
}
