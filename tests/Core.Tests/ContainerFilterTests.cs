using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Tests;

public class ContainerFilterTests
{
    private static ContainerSummary Row(string node, string name, ContainerState state, string image = "web:1", Dictionary<string, string>? labels = null) => new()
    {
        Node = node, Id = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), Name = name, Image = image, ImageId = "sha256:abc",
        State = state, Status = state switch { ContainerState.Running => "Up 2 minutes", ContainerState.Restarting => "Restarting (1) 2 seconds ago", _ => "Exited (0) 5 minutes ago" }, Health = ContainerHealth.None,
        Created = DateTimeOffset.UnixEpoch, Labels = labels ?? [], Ports = [],
    };

    private static readonly ContainerSummary[] Rows =
    [
        Row("node1", "api-1", ContainerState.Running, "registry/api:7", new() { ["service"] = "api" }),
        Row("node2", "api-2", ContainerState.Exited, "registry/api:7", new() { ["service"] = "api" }),
        Row("node1", "worker", ContainerState.Running, "registry/worker:3", new() { ["service"] = "worker", ["tier"] = "back" }),
        Row("node3", "nginx", ContainerState.Restarting, "nginx:1.27"),
    ];

    [Theory]
    [InlineData("API", 2)]
    [InlineData("worker", 1)]
    [InlineData("node3", 1)]
    [InlineData("exited", 1)]
    [InlineData("nothing-matches", 0)]
    public void Text_MatchesNameImageNodeOrStatus_CaseInsensitively(string text, int expected) =>
        Assert.Equal(expected, Rows.Count(new ContainerFilter { Text = text }.Matches));

    [Fact]
    public void Text_MatchesIdPrefix() =>
        Assert.Single(Rows, new ContainerFilter { Text = Rows[2].Id[..8].ToUpperInvariant() }.Matches);

    [Fact]
    public void Node_And_State_Combine()
    {
        var filter = new ContainerFilter { Node = "node1", State = ContainerState.Running };
        Assert.Equal(["api-1", "worker"], Rows.Where(filter.Matches).Select(r => r.Name).Order());
    }

    [Theory]
    [InlineData("service", 3)]
    [InlineData("service=api", 2)]
    [InlineData("tier=back", 1)]
    [InlineData("service=nope", 0)]
    [InlineData("missing", 0)]
    public void Label_MatchesKeyOrKeyValue(string label, int expected) =>
        Assert.Equal(expected, Rows.Count(new ContainerFilter { Label = label }.Matches));

    [Fact]
    public void Sort_ByName_Descending_IsStable()
    {
        var sorted = ContainerSort.Apply(Rows, ContainerSortKey.Name, descending: true).Select(r => r.Name).ToList();
        Assert.Equal(["worker", "nginx", "api-2", "api-1"], sorted);
    }

    [Fact]
    public void Sort_ByNode_ThenName()
    {
        var sorted = ContainerSort.Apply(Rows, ContainerSortKey.Node, descending: false).Select(r => $"{r.Node}/{r.Name}").ToList();
        Assert.Equal(["node1/api-1", "node1/worker", "node2/api-2", "node3/nginx"], sorted);
    }
}
