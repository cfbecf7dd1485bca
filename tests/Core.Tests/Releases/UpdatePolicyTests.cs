using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

public sealed class UpdatePolicyTests
{
    private static readonly IReadOnlyList<NodeDefinition> Nodes = [new("node1", "unix:///var/tmp/lab/node1/docker.sock", new Dictionary<string, string>())];

    [Fact]
    public void AFixedPortService_WithTheDefaultPolicy_IsAccepted_AndGoesStopFirstOneAtATime()
    {
        var spec = new RuntimeSpec { Ports = [new PortSpec("PORT", Fixed: 8080)] };

        var valid = RuntimeValidation.Validate(spec, Nodes, new HostMountOptions()).Spec;

        Assert.Equal(UpdateOrder.StopFirst, valid.EffectiveOrder);
        Assert.Equal(1, valid.Update.BatchSize(valid.EffectiveOrder));
    }

    [Theory]
    [InlineData(UpdateOrder.StopFirst, 3, null, 3)]
    [InlineData(UpdateOrder.StopFirst, 3, 1, 1)]
    [InlineData(UpdateOrder.StopFirst, 2, 5, 2)]
    [InlineData(UpdateOrder.StartFirst, 3, 0, 3)]
    [InlineData(UpdateOrder.StartFirst, 3, 1, 3)]
    public void StopFirstBatches_AreBoundedByMaxUnavailable_StartFirstTakesNoneDown(UpdateOrder order, int parallelism, int? maxUnavailable, int batch) =>
        Assert.Equal(batch, new UpdatePolicy { Order = order, Parallelism = parallelism, MaxUnavailable = maxUnavailable }.BatchSize(order));

    [Fact]
    public void StopFirst_WithNoReplicaAllowedDown_IsRefusedNamingTheField()
    {
        var spec = new RuntimeSpec { Update = new UpdatePolicy { Order = UpdateOrder.StopFirst, MaxUnavailable = 0 } };

        var error = Assert.Throws<InvalidRequestException>(() => RuntimeValidation.Validate(spec, Nodes, new HostMountOptions()));

        Assert.Equal("runtime.update.maxUnavailable", error.Field);
    }
}
