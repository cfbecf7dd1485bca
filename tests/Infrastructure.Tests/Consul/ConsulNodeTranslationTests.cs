using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.Consul;

namespace ControlPanel.Infrastructure.Tests.Consul;

public class ConsulNodeTranslationTests
{
    private static readonly ConsulOptions Lab = new() { Address = "http://127.0.0.1:8500", AllowUnixEndpoints = true };

    private static ServiceHealth Entry(string node, IReadOnlyDictionary<string, string> meta, params HealthCheckResult[] checks) => new(
        new CatalogNode("id-" + node, node, "127.0.0.1", "dc1", new Dictionary<string, string>()),
        new CatalogServiceInstance(node, "127.0.0.1", "docker", "docker", "127.0.0.1", 2376, [], meta),
        checks);

    [Fact]
    public void AnAdvertisedEngine_BecomesANode_WithItsEndpointAndLabels()
    {
        var nodes = ConsulNodeTranslation.Translate(
            [Entry("web7", new Dictionary<string, string> { ["docker_endpoint"] = "unix:///run/web7.sock", ["label_role"] = "web" })], [], Lab);

        var node = Assert.Single(nodes);
        Assert.Equal(("web7", "unix:///run/web7.sock", NodeOrigin.Consul), (node.Name, node.Endpoint, node.Origin));
        Assert.Equal("web", node.Labels["role"]);
        Assert.True(node.TakesNewReplicas);
    }

    [Fact]
    public void ACriticalCheck_MarksTheNodeCritical_WithConsulsOutput()
    {
        var node = Assert.Single(ConsulNodeTranslation.Translate(
            [Entry("web7", new Dictionary<string, string> { ["docker_endpoint"] = "unix:///run/web7.sock" },
                new HealthCheckResult("serfHealth", "Serf Health Status", CheckStatus.Critical, "Agent not live or unreachable", ""))], [], Lab));

        Assert.Equal(NodeAvailability.Critical, node.Availability);
        Assert.Equal("Consul reports 'Serf Health Status' critical: Agent not live or unreachable", node.AvailabilityReason);
        Assert.False(node.TakesNewReplicas);
    }

    [Fact]
    public void ANodeNoLongerListed_StaysAsLeft()
    {
        var before = ConsulNodeTranslation.Translate([Entry("web7", new Dictionary<string, string> { ["docker_endpoint"] = "unix:///run/web7.sock" })], [], Lab);

        var node = Assert.Single(ConsulNodeTranslation.Translate([], before, Lab));

        Assert.Equal(NodeAvailability.Left, node.Availability);
        Assert.Contains("Left Consul's catalog", node.AvailabilityReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://10.1.2.3:2375", "without TLS")]
    [InlineData("unix:///var/run/docker.sock", "AllowUnixEndpoints")]
    [InlineData("ssh://host", "scheme 'ssh'")]
    public void AnEngineThePanelMustNotUse_IsShownWithTheReason_NeverContacted(string endpoint, string expected)
    {
        var node = Assert.Single(ConsulNodeTranslation.Translate(
            [Entry("web7", new Dictionary<string, string> { ["docker_endpoint"] = endpoint })], [], new ConsulOptions { Address = "http://127.0.0.1:8500" }));

        Assert.False(node.IsUsable);
        Assert.Contains(expected, node.ConfigurationError, StringComparison.Ordinal);
    }

    [Fact]
    public void ANodeMissingFromAnAnswerFilteredByAcls_IsKeptAsItWas()
    {
        var before = ConsulNodeTranslation.Translate([Entry("web7", new Dictionary<string, string> { ["docker_endpoint"] = "unix:///run/web7.sock" })], [], Lab);

        var node = Assert.Single(ConsulNodeTranslation.Translate([], before, Lab, keepMissing: true));

        Assert.Equal(NodeAvailability.Active, node.Availability);
    }
}
