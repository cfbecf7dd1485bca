using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Tests.Fleet;

public class NodeDirectoryTests
{
    private static NodeDefinition Node(string name, string endpoint, NodeOrigin origin) => new(name, endpoint, new Dictionary<string, string>(), Origin: origin);

    [Fact]
    public void ANameClash_KeepsTheConfiguredNode_AndShowsTheClashOnIt()
    {
        var merged = NodeDirectory.Merge([
            (NodeOrigin.Configured, [Node("web1", "unix:///a.sock", NodeOrigin.Configured)]),
            (NodeOrigin.Consul, [Node("web1", "tcp://127.0.0.1:2376", NodeOrigin.Consul), Node("web2", "tcp://127.0.0.1:2377", NodeOrigin.Consul)]),
        ], new Dictionary<string, string>());

        Assert.Equal(["web1", "web2"], merged.Select(n => n.Name));
        Assert.Equal("unix:///a.sock", merged[0].Endpoint);
        Assert.Equal(NodeOrigin.Configured, merged[0].Origin);
        Assert.Contains("Consul's catalog also names a node 'web1' (tcp://127.0.0.1:2376); the configuration wins", merged[0].Conflict, StringComparison.Ordinal);
        Assert.Null(merged[1].Conflict);
    }

    [Fact]
    public void ACordon_TakesTheNodeOutOfPlacement_WithItsReason()
    {
        var merged = NodeDirectory.Merge([(NodeOrigin.Configured, [Node("a", "unix:///a.sock", NodeOrigin.Configured), Node("b", "unix:///b.sock", NodeOrigin.Configured)])],
            new Dictionary<string, string> { ["b"] = "cordoned by lead" });

        Assert.True(merged[0].TakesNewReplicas);
        Assert.Equal(NodeAvailability.Cordoned, merged[1].Availability);
        Assert.Equal("cordoned by lead", merged[1].AvailabilityReason);
        Assert.False(merged[1].TakesNewReplicas);
    }

    [Fact]
    public void ASourceThatChanges_RebuildsTheList_AndTellsWatchers()
    {
        var source = new ListSource();
        var directory = new NodeDirectory([source], []);
        var told = 0;
        ((INodeDirectory)directory).Changed += () => told++;

        source.Set([Node("joined", "unix:///j.sock", NodeOrigin.Consul)]);

        Assert.Equal(1, told);
        Assert.Equal("joined", Assert.Single(directory.GetNodes()).Name);
        Assert.Equal(["Consul is down"], directory.Problems);
    }

    private sealed class ListSource : INodeSource
    {
        private IReadOnlyList<NodeDefinition> _nodes = [];

        public NodeOrigin Origin => NodeOrigin.Consul;

        public string? Problem { get; private set; }

        public event Action? Changed;

        public IReadOnlyList<NodeDefinition> GetNodes() => _nodes;

        public void Set(IReadOnlyList<NodeDefinition> nodes)
        {
            _nodes = nodes;
            Problem = "Consul is down";
            Changed?.Invoke();
        }
    }
}
