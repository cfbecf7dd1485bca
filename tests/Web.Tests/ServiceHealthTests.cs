using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Web.Components.Pages.Services;

namespace ControlPanel.Web.Tests;

/// <summary>The services list's "healthy of wanted" counts the nodes a deployment would place the service on.</summary>
public sealed class ServiceHealthTests
{
    private static readonly IReadOnlyList<NodeDefinition> Nodes =
    [
        new("node1", "unix:///a", new Dictionary<string, string> { ["tier"] = "web" }),
        new("node2", "unix:///b", new Dictionary<string, string> { ["tier"] = "web" }),
        new("node3", "unix:///c", new Dictionary<string, string> { ["tier"] = "db" }),
    ];

    [Fact]
    public void AServicePlacedByNodeLabels_WantsReplicasOnlyOnTheMatchingNodes_AndIsWellWhenTheyAreHealthy()
    {
        var spec = new RuntimeSpec { ReplicasPerNode = 2, NodeLabels = new Dictionary<string, string> { ["tier"] = "web" } };
        var rows = new[] { "node1", "node2" }.SelectMany(n => new[] { Row(n, 0), Row(n, 1) }).ToList();

        var health = ServiceHealth.Of(rows, spec, currentRelease: 1, Nodes);

        Assert.Equal((4, 4, 0, 0), (health.Healthy, health.Wanted, health.Unhealthy, health.Drifting));
        Assert.True(health.IsWell);
    }

    [Fact]
    public void AServiceNamingANodeTheFleetNoLongerHas_WantsNone_InsteadOfFailingTheList()
    {
        var spec = new RuntimeSpec { ReplicasPerNode = 1, Nodes = ["gone"] };

        var health = ServiceHealth.Of([], spec, currentRelease: 1, Nodes);

        Assert.Equal(0, health.Wanted);
    }

    private static ReplicaRow Row(string node, int slot) => new(node, slot, new ContainerSummary
    {
        Node = node, Id = $"{node}{slot}", Name = $"api-{slot}", Image = "lab/web", ImageId = "sha256:1", State = ContainerState.Running,
        Status = "Up", Health = ContainerHealth.Healthy, Created = DateTimeOffset.UtcNow, Labels = new Dictionary<string, string>(), Ports = [],
    }, Drift: null);
}
