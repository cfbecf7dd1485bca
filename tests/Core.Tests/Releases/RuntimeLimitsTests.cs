using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

public sealed class RuntimeLimitsTests
{
    private static readonly IReadOnlyList<NodeDefinition> Nodes = [new("node1", "unix:///var/tmp/lab/node1/docker.sock", new Dictionary<string, string>())];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static InvalidRequestException Refused(RuntimeSpec spec) =>
        Assert.Throws<InvalidRequestException>(() => RuntimeValidation.Validate(spec, Nodes, new HostMountOptions()));

    [Fact]
    public void UndefinedEnumValues_AreRefusedByName_ListingTheAllowedOnes()
    {
        var health = Refused(new RuntimeSpec { Health = (HealthKind)99 });
        Assert.Equal("runtime.health", health.Field);
        Assert.Contains("Image, None, Http, Tcp, FastCgi; got 99", health.Message, StringComparison.Ordinal);

        var failure = Refused(new RuntimeSpec { Update = new UpdatePolicy { FailureAction = (FailureAction)7 } });
        Assert.Equal("runtime.update.failureAction", failure.Field);
        Assert.Contains("Rollback, Pause; got 7", failure.Message, StringComparison.Ordinal);

        Assert.Equal("runtime.update.order", Refused(new RuntimeSpec { Update = new UpdatePolicy { Order = (UpdateOrder)5 } }).Field);
    }

    [Fact]
    public void OversizedParts_AreRefused_WithoutEchoingTheValue()
    {
        var huge = new string('x', 20 * 1024 * 1024);
        var label = Refused(new RuntimeSpec { Labels = new Dictionary<string, string> { ["big"] = huge } });
        Assert.Equal("runtime.labels", label.Field);
        Assert.True(label.Message.Length < 300, $"the message is {label.Message.Length} characters long");

        var many = Enumerable.Range(0, 10_000).Select(i => new EnvironmentValue($"V{i}", "1")).ToList();
        Assert.Equal("runtime.environment", Refused(new RuntimeSpec { Environment = many }).Field);
        Assert.Equal("runtime.command", Refused(new RuntimeSpec { Command = Enumerable.Repeat("a", 1000).ToList() }).Field);
        Assert.Equal("runtime.volumes", Refused(new RuntimeSpec { Volumes = Enumerable.Range(0, 100).Select(i => $"v{i}:/d{i}").ToList() }).Field);
        Assert.Equal("runtime.update.delaySeconds", Refused(new RuntimeSpec { Update = new UpdatePolicy { DelaySeconds = int.MaxValue } }).Field);
    }

    [Fact]
    public void ASpecAtItsLimits_IsAccepted()
    {
        var spec = new RuntimeSpec
        {
            Environment = Enumerable.Range(0, RuntimeLimits.MaxEnvironment).Select(i => new EnvironmentValue($"V{i}", "value")).ToList(),
            Labels = Enumerable.Range(0, RuntimeLimits.MaxLabels).ToDictionary(i => $"l{i}", _ => "v"),
            Volumes = Enumerable.Range(0, RuntimeLimits.MaxVolumes).Select(i => $"data{i}:/data{i}").ToList(),
        };

        Assert.Equal(RuntimeLimits.MaxVolumes, RuntimeValidation.Validate(spec, Nodes, new HostMountOptions()).Spec.Volumes.Count);
    }

    [Fact]
    public void AStoredSpec_ReadsBack_ButAMemberItDoesNotHaveIsRefused()
    {
        var spec = new RuntimeSpec { Update = new UpdatePolicy { Order = UpdateOrder.StopFirst, MaxUnavailable = 1 } };
        var stored = JsonSerializer.Serialize(spec, Json); // includes the computed effectiveOrder

        Assert.Equal(UpdateOrder.StopFirst, JsonSerializer.Deserialize<RuntimeSpec>(stored, Json)!.EffectiveOrder);
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RuntimeSpec>("""{"privileged":true}""", Json));
        Assert.Contains("privileged", error.Message, StringComparison.Ordinal);
    }
}
