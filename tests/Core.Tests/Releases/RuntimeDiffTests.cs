using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

public class RuntimeDiffTests
{
    private static readonly RuntimeSpec Spec = new()
    {
        Nodes = ["node1"],
        Environment = [new("GREETING", "hello"), new("DB_PASSWORD", "cipher-1", Secret: true)],
        Ports = [new("PORT", RangeStart: 9000, RangeEnd: 9009)],
        Update = new UpdatePolicy { Parallelism = 1 },
    };

    private static IEnumerable<string> Lines(RuntimeSpec? from, RuntimeSpec to) =>
        RuntimeDiff.Between(from, to).Select(c => $"{c.Field}: {c.Before ?? "—"} → {c.After ?? "—"}");

    [Fact]
    public void NestedFields_AreOneLineEach_InWords()
    {
        var to = Spec with { Update = Spec.Update with { Parallelism = 2, Order = UpdateOrder.StopFirst }, StopTimeoutSeconds = 30, MemoryMb = 256 };

        Assert.Equal(
        [
            "stop timeout: 10 s → 30 s",
            "memory limit: unlimited → 256 MB",
            "update policy › parallelism: 1 → 2",
            "update policy › order: automatic → StopFirst",
        ], Lines(Spec, to));
    }

    [Fact]
    public void AChangedSecret_IsMaskedOnBothSides_AndMarkedChanged()
    {
        var to = Spec with { Environment = [new("GREETING", "hello"), new("DB_PASSWORD", "cipher-2", Secret: true)] };

        var line = Assert.Single(Lines(Spec, to));

        Assert.Equal($"environment › DB_PASSWORD: {SecretMasking.Mask} → {SecretMasking.Mask}{RuntimeDiff.Changed}", line);
        Assert.DoesNotContain("cipher", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnchangedSecret_ShowsNoLine_AndAnAddedOne_ShowsOnlyTheMask()
    {
        var to = Spec with { Environment = [.. Spec.Environment, new("API_TOKEN", "cipher-3", Secret: true)] };

        Assert.Equal([$"environment › API_TOKEN: — → {SecretMasking.Mask}"], Lines(Spec, to));
    }

    [Fact]
    public void Lists_ShowWhatWasAddedRemovedAndChanged_ByName()
    {
        var to = Spec with
        {
            Environment = [new("GREETING", "hi"), new("DB_PASSWORD", "cipher-1", Secret: true)],
            Ports = [new("PORT", Fixed: 8080), new("ADMIN_PORT", Fixed: 8081)],
            Volumes = ["data:/var/data"],
            Nodes = [],
        };

        Assert.Equal(
        [
            "nodes: node1 → any",
            "environment › GREETING: hello → hi",
            "ports › ADMIN_PORT: — → fixed 8081",
            "ports › PORT: range 9000–9009 → fixed 8080",
            "volumes: none → data:/var/data",
        ], Lines(Spec, to));
    }

    [Fact]
    public void AProbeAddedWithItsHealthKind_ShowsEachOfItsFields()
    {
        var to = Spec with { Health = HealthKind.Http, HttpProbe = new HttpProbe("/health", PortName: "PORT") };

        Assert.Equal(
        [
            "health check: Image → Http",
            "HTTP probe › path: — → /health",
            "HTTP probe › port name: — → PORT",
            "HTTP probe › timeout: — → 2 s",
        ], Lines(Spec, to));
    }

    [Fact]
    public void WithNothingRunning_OnlyWhatDiffersFromTheDefaultsIsListed_WithNothingBefore()
    {
        var lines = Lines(null, Spec).ToList();

        Assert.Contains("nodes: — → node1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("stop signal", StringComparison.Ordinal) || l.StartsWith("update policy", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("cipher", l, StringComparison.Ordinal));
    }

    [Fact]
    public void NoChange_NoLine() => Assert.Empty(RuntimeDiff.Between(Spec, Spec with { }));

    [Fact]
    public void AValidationError_NamesItsFieldInWords()
    {
        var error = Assert.Throws<InvalidRequestException>(() =>
            RuntimeValidation.Validate(Spec with { Update = new UpdatePolicy { Parallelism = 0 } }, [new NodeDefinition("node1", "unix:///var/tmp/lab/node1/docker.sock", new Dictionary<string, string>())], new HostMountOptions()));

        Assert.Equal("update policy › parallelism must be at least 1; got 0.", RuntimeFieldNames.Explain(error));
    }

    [Fact]
    public void ARoutesRouterService_IsNamedAsSuch_NotAsTheSpecsRouterFlag()
    {
        var routed = Spec with { Route = new ControlPanel.Core.Traffic.RouteSpec("edge", "api", "PORT", "api.conf") };

        var changes = RuntimeDiff.Between(Spec, routed).Select(c => c.Field).ToList();

        Assert.Contains("route › router service", changes);
        Assert.DoesNotContain(changes, f => f.Contains("is a router", StringComparison.Ordinal));
        Assert.Equal("route › router service", RuntimeFieldNames.Describe("runtime.route.router"));
        Assert.Equal("is a router", RuntimeFieldNames.Describe("runtime.router"));
    }
}
