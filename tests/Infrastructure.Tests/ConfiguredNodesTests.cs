using ControlPanel.Infrastructure.Configuration;

namespace ControlPanel.Infrastructure.Tests;

public class ConfiguredNodesTests
{
    [Fact]
    public void NoNodesConfigured_MeansTheLocalEngine()
    {
        var node = Assert.Single(ConfiguredNodes.Build([]));
        Assert.Equal("local", node.Name);
        Assert.Equal("unix:///var/run/docker.sock", node.Endpoint);
        Assert.True(node.IsUsable);
    }

    [Theory]
    [InlineData("not a uri", "is not a URI")]
    [InlineData("http://host:2375", "scheme 'http' is not supported")]
    [InlineData("tcp://host", "needs a port")]
    [InlineData("tcp://host:2375", "without TLS is refused")]
    [InlineData("", "Endpoint is missing")]
    public void MalformedEndpoint_KeepsTheNode_WithAnErrorNamingTheSetting(string endpoint, string expected)
    {
        var nodes = ConfiguredNodes.Build([
            new NodeOptions { Name = "good", Endpoint = "unix:///var/run/docker.sock" },
            new NodeOptions { Name = "bad", Endpoint = endpoint },
        ]);

        Assert.Equal(2, nodes.Count);
        Assert.True(nodes[0].IsUsable);
        Assert.False(nodes[1].IsUsable);
        Assert.Contains("ControlPanel:Nodes:1", nodes[1].ConfigurationError, StringComparison.Ordinal);
        Assert.Contains(expected, nodes[1].ConfigurationError, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateNames_MarkTheSecond()
    {
        var nodes = ConfiguredNodes.Build([
            new NodeOptions { Name = "a", Endpoint = "unix:///one.sock" },
            new NodeOptions { Name = "a", Endpoint = "unix:///two.sock" },
        ]);
        Assert.True(nodes[0].IsUsable);
        Assert.Contains("used by another node", nodes[1].ConfigurationError, StringComparison.Ordinal);
    }

    [Fact]
    public void InsecureTcp_IsAllowedOnlyWhenExplicitlyAccepted()
    {
        var node = Assert.Single(ConfiguredNodes.Build([new NodeOptions { Name = "t", Endpoint = "tcp://127.0.0.1:2375", AllowInsecureTcp = true }]));
        Assert.True(node.IsUsable);
    }
}
