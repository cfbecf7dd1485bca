using System.Net.Sockets;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests;

public sealed class FleetServiceTests : IAsyncLifetime
{
    private readonly LabContainers _lab = new();
    private readonly string _silentSocketPath = Path.Combine(Path.GetTempPath(), $"cp-silent-{Guid.NewGuid():N}.sock");
    private Socket? _silent;

    public Task InitializeAsync()
    {
        // An "engine" that accepts connections and never answers: the slow-node case.
        _silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _silent.Bind(new UnixDomainSocketEndPoint(_silentSocketPath));
        _silent.Listen(16);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _silent?.Dispose();
        File.Delete(_silentSocketPath);
        await _lab.DisposeAsync();
    }

    private IReadOnlyList<NodeDefinition> FleetWithBadNodes() =>
    [
        .. Lab.SharedNodes,
        new NodeDefinition("silent", $"unix://{_silentSocketPath}", new Dictionary<string, string>()),
        new NodeDefinition("refused", "unix:///tmp/cp-no-such.sock", new Dictionary<string, string>()),
        new NodeDefinition("broken", "", new Dictionary<string, string>(), ConfigurationError: "ControlPanel:Nodes:5:Endpoint is missing."),
    ];

    [Fact]
    public async Task ListContainers_WithSlowDeadAndMisconfiguredNodes_ReturnsTheOthersAndSaysWhy()
    {
        using var services = new LabServices(FleetWithBadNodes(), nodeTimeout: TimeSpan.FromSeconds(1));
        foreach (var node in Lab.SharedNodes) await _lab.RunAsync(node, "sigquit", "fleet");

        // The silent node is given up after its own timeout; a hang (no timeout at all) fails here instead of stalling the run.
        var result = await services.Fleet.ListContainersAsync(new ContainerFilter { Text = _lab.RunId }, default).WaitAsync(TimeSpan.FromSeconds(15)); // the silent node answers in 1 s, by its own timeout

        Assert.Equal(3, result.Containers.Count);
        Assert.Equal(["node1", "node2", "node3"], result.Containers.Select(c => c.Node).Order());
        Assert.Equal(["broken", "refused", "silent"], result.Failures.Select(f => f.Node).Order());
        Assert.Contains("no answer within 1 s", result.Failures.Single(f => f.Node == "silent").Error, StringComparison.Ordinal);
        Assert.Contains("Endpoint is missing", result.Failures.Single(f => f.Node == "broken").Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamNodeStatuses_YieldsReachableNodesBeforeTheSilentOneTimesOut()
    {
        using var services = new LabServices(FleetWithBadNodes(), nodeTimeout: TimeSpan.FromSeconds(2));
        var order = new List<NodeStatus>();
        await foreach (var status in services.Fleet.StreamNodeStatusesAsync(default)) order.Add(status);

        Assert.Equal(6, order.Count);
        Assert.Equal("silent", order[^1].Node.Name);
        Assert.Equal(NodeReachability.Unreachable, order[^1].Reachability);
        Assert.All(order.Where(s => s.Node.Name.StartsWith("node", StringComparison.Ordinal)), s =>
        {
            Assert.Equal(NodeReachability.Reachable, s.Reachability);
            Assert.Equal("1.41", s.Engine!.ApiVersion);
            Assert.NotNull(s.RoundTrip);
        });
        Assert.Equal(NodeReachability.Misconfigured, order.Single(s => s.Node.Name == "broken").Reachability);
    }

    [Fact]
    public async Task ListContainers_ForUnknownNode_IsNodeNotFound()
    {
        using var services = new LabServices(Lab.SharedNodes);
        var ex = await Assert.ThrowsAsync<NodeNotFoundException>(() => services.Fleet.ListContainersAsync(new ContainerFilter { Node = "nope" }, default));
        Assert.Equal("nope", ex.Node);
    }
}
