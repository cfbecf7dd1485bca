using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

public class PlacementTests
{
    private static readonly NodeDefinition A = new("a", "unix:///a.sock", new Dictionary<string, string>());
    private static readonly NodeDefinition B = new("b", "unix:///b.sock", new Dictionary<string, string>());

    [Theory]
    [InlineData(NodeAvailability.Cordoned)]
    [InlineData(NodeAvailability.Critical)]
    [InlineData(NodeAvailability.Left)]
    public void ANodeThatTakesNoNewReplicas_IsLeftOutOfPlacement(NodeAvailability availability)
    {
        var placed = RuntimeValidation.Place(new RuntimeSpec(), [A, B with { Availability = availability }]);

        Assert.Equal(["a"], placed.Select(n => n.Name));
    }

    [Fact]
    public void APlacementOfOnlyCordonedNodes_IsRefusedNamingThem()
    {
        var ex = Assert.Throws<InvalidRequestException>(() =>
            RuntimeValidation.Place(new RuntimeSpec { Nodes = ["b"] }, [A, B with { Availability = NodeAvailability.Cordoned }]));

        Assert.Equal("runtime.nodes", ex.Field);
        Assert.Contains("'b' is cordoned", ex.Message, StringComparison.Ordinal);
    }
}
