using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Logs;

/// <summary>Which containers a service's log view follows as the fleet changes, and how each is labelled and coloured.</summary>
public sealed class ServiceLogSourcesTests
{
    private static ContainerSummary Replica(string node, string id, string service, int slot, int release = 1, ContainerState state = ContainerState.Running) => new()
    {
        Node = node, Id = id, Name = $"/{service}-{slot}-r{release}-{id}", Image = "web:1", ImageId = "sha256:1", State = state, Status = "", Health = ContainerHealth.None,
        Created = DateTimeOffset.UnixEpoch.AddMinutes(release), Ports = [],
        Labels = new Dictionary<string, string> { [ReplicaLabels.Service] = service, [ReplicaLabels.Slot] = slot.ToString(), [ReplicaLabels.Release] = release.ToString() },
    };

    private static NodeSnapshot Node(string name, params ContainerSummary[] containers) => new(name, containers.ToDictionary(c => c.Id), null);

    [Fact]
    public void Wanted_IsEveryStartedReplicaOfTheService_OnEveryNode_ByNodeThenSlot()
    {
        var other = Replica("node1", "o1", "other", 0);
        var created = Replica("node2", "c1", "web", 2, state: ContainerState.Created);
        var exited = Replica("node2", "e1", "web", 1, state: ContainerState.Exited);
        var nodes = new NodeSnapshot?[]
        {
            Node("node2", Replica("node2", "b1", "web", 0), exited, created),
            Node("node1", Replica("node1", "a2", "web", 1), Replica("node1", "a1", "web", 0), other),
            null, // a node not listed yet
        };

        var wanted = ServiceReplicaSelection.Wanted(nodes, "web");

        Assert.Equal(["a1", "a2", "b1", "e1"], wanted.Select(c => c.Id));
    }

    [Fact]
    public void Diff_AfterARedeploy_AddsTheNewReplicas_AndDropsTheRemovedOnes()
    {
        var followed = new[] { ("node1", "old1"), ("node2", "old2") };
        // Release 2 replaced both: the old containers are gone from the fleet, the new ones run.
        var wanted = ServiceReplicaSelection.Wanted([Node("node1", Replica("node1", "new1", "web", 0, 2)), Node("node2", Replica("node2", "new2", "web", 0, 2))], "web");

        var (add, drop) = ServiceReplicaSelection.Diff(wanted, followed, _ => false);

        Assert.Equal(["new1", "new2"], add.Select(c => c.Id));
        Assert.Equal([("node1", "old1"), ("node2", "old2")], drop);
    }

    [Fact]
    public void Diff_KeepsFollowingOnANodeWhoseEventStreamIsDown_AndAddsNothingTwice()
    {
        var running = Replica("node1", "a1", "web", 0);
        var wanted = ServiceReplicaSelection.Wanted([Node("node1", running)], "web");

        var (add, drop) = ServiceReplicaSelection.Diff(wanted, [("node1", "a1"), ("node2", "b1")], node => node == "node2");

        Assert.Empty(add);
        Assert.Empty(drop); // node2's replica may well still run: its snapshot is stale, not empty
    }

    [Fact]
    public void Describe_LabelsAReplicaByNodeServiceAndSlot_AndAnyOtherContainerByItsShortenedName()
    {
        var replica = Replica("node1", "a1", "web", 2, release: 7);

        Assert.Equal(("node1/web-2", "web-2-r7-a1 · release 7"), LogSourceInfo.Describe("node1", replica.Name, replica.Labels));
        Assert.Equal(("node3/nginx", "nginx"), LogSourceInfo.Describe("node3", "/nginx", new Dictionary<string, string>()));
        var (label, title) = LogSourceInfo.Describe("node3", "a-container-name-much-longer-than-a-label", null);
        Assert.Equal("node3/a-container…than-a-label", label);
        Assert.Equal("a-container-name-much-longer-than-a-label", title);

        // Long names that differ only at their end keep apart, so their colours do too.
        var (check1, _) = LogSourceInfo.Describe("node1", "t8b65231c6b-layout-check-01", null);
        var (check2, _) = LogSourceInfo.Describe("node1", "t8b65231c6b-layout-check-02", null);
        Assert.NotEqual(check1, check2);
        var colours = new LogSourceColours();
        Assert.NotEqual(colours.For(check1), colours.For(check2));
    }

    [Fact]
    public void Colours_DifferForEachReplica_AndAReplacementInTheSameSlotKeepsItsColour()
    {
        var colours = new LogSourceColours();
        var first = new[] { "node1/web-0", "node1/web-1", "node2/web-0", "node2/web-1" }.Select(colours.For).ToList();

        Assert.Equal(4, first.Distinct().Count()); // two replicas on one node look different
        Assert.Equal(first[1], colours.For("node1/web-1")); // the next release's replica in that slot
        Assert.All(first, c => Assert.InRange(c, 0, LogSourceInfo.Colours - 1));
    }
}
