using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

public class RuntimeJsonTests
{
    [Theory]
    [InlineData("{ \"update\": { \"parallelism\": \"two\" } }", "runtime.update.parallelism", "update policy › parallelism (line 1) must be a whole number.")]
    [InlineData("{\n \"environment\": [ { \"name\": \"A\", \"value\": 5 } ] }", "runtime.environment.value", "environment › value (line 2) must be text in quotes.")]
    [InlineData("{ \"health\": \"Ping\" }", "runtime.health", "health check (line 1) must be one of Image, None, Http, Tcp, FastCgi.")]
    [InlineData("{ \"cpus\": true }", "runtime.cpus", "CPU limit (line 1) must be a number (0.5 is half).")]
    public void AWrongType_NamesTheFieldInWords_AndWhatItExpects(string json, string field, string message)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RuntimeJson.Read(json));

        Assert.Equal((field, message), (error.Field, error.Message));
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownField_IsNamed()
    {
        var error = Assert.Throws<InvalidRequestException>(() => RuntimeJson.Read("{ \"update\": { \"paralelism\": 2 } }"));

        Assert.Contains("'paralelism'", error.Message, StringComparison.Ordinal);
        Assert.Contains("update policy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenJson_SaysWhichLine()
    {
        var error = Assert.Throws<InvalidRequestException>(() => RuntimeJson.Read("{\n \"init\": true,,\n}"));

        Assert.StartsWith("The JSON is not valid (line 2)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrittenThenRead_IsTheSameSpec_WithSecretsMasked()
    {
        var spec = new RuntimeSpec
        {
            Environment = [new("GREETING", "hello"), new("DB_PASSWORD", "cipher", Secret: true)],
            Update = new UpdatePolicy { Parallelism = 2, Order = UpdateOrder.StopFirst },
            Health = HealthKind.Tcp, TcpProbe = new TcpProbe(Port: 9000),
        };

        var json = RuntimeJson.Write(spec);
        var read = RuntimeJson.Read(json);

        Assert.DoesNotContain("cipher", json, StringComparison.Ordinal);
        Assert.Empty(RuntimeDiff.Between(spec with { Environment = [spec.Environment[0], spec.Environment[1] with { Value = SecretMasking.Mask }] }, read));
    }
}
