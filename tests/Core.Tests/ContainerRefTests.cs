using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Tests;

public class ContainerRefTests
{
    [Theory]
    [InlineData("node1/3f2a9c", "node1", "3f2a9c")]
    [InlineData("node1/my-app-0", "node1", "my-app-0")]
    public void Parse_SplitsAtTheFirstSlash_AndToStringRoundTrips(string value, string node, string container)
    {
        var parsed = ContainerRef.Parse(value, "c");

        Assert.Equal(new ContainerRef(node, container), parsed);
        Assert.Equal(value, parsed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("node1")]
    [InlineData("/3f2a9c")]
    [InlineData("node1/")] // was accepted by the hub, which then asked the engine for a container named ""
    public void Parse_RefusesWhatIsNotNodeSlashContainer_NamingTheField(string? value)
    {
        Assert.False(ContainerRef.TryParse(value, out _));
        var refused = Assert.Throws<InvalidRequestException>(() => ContainerRef.Parse(value, "sources"));
        Assert.Equal("sources", refused.Field);
        Assert.Equal($"'{value}' is not node/container.", refused.Message);
    }

    [Fact]
    public void Matches_TheFullIdOfAnIdPrefix_OnTheSameNodeOnly()
    {
        var reference = new ContainerRef("node1", "3f2a");

        Assert.True(reference.Matches("node1", "3f2a9c0000"));
        Assert.False(reference.Matches("node2", "3f2a9c0000"));
        Assert.False(reference.Matches("node10", "3f2a9c0000"));
        Assert.False(reference.Matches("node1", "9c3f2a0000"));
    }
}
