using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

/// <summary>The health probes of a runtime spec as JSON: each kind needs its own probe, refuses the others', and names the field that is wrong.</summary>
public sealed class HealthProbeValidationTests
{
    private static readonly IReadOnlyList<NodeDefinition> Nodes = [new("node1", "unix:///var/tmp/lab/node1/docker.sock", new Dictionary<string, string>())];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private const string Ports = """ "ports": [{"name": "PORT", "rangeStart": 9000, "rangeEnd": 9009}] """;

    private static RuntimeSpec Valid(string json) => RuntimeValidation.Validate(JsonSerializer.Deserialize<RuntimeSpec>(json, Json)!, Nodes, new HostMountOptions()).Spec;

    [Fact]
    public void AFastCgiProbe_DefaultsToPhpFpmsPingAndPong_AndATcpProbeNeedsOnlyItsPort()
    {
        var fastCgi = Valid($$"""{ {{Ports}}, "health": "FastCgi", "fastCgiProbe": {"portName": "PORT"} }""");
        var tcp = Valid($$"""{ {{Ports}}, "health": "Tcp", "tcpProbe": {"port": 9000, "timeoutSeconds": 5} }""");

        Assert.Equal(new FastCgiProbe("/ping", "pong", "PORT", null, 2), fastCgi.FastCgiProbe);
        Assert.Equal(new TcpProbe(null, 9000, 5), tcp.TcpProbe);
    }

    [Theory]
    [InlineData(""" "health": "Tcp" """, "runtime.tcpProbe", "is required when health is Tcp")]
    [InlineData(""" "health": "FastCgi" """, "runtime.fastCgiProbe", "is required when health is FastCgi")]
    [InlineData(""" "health": "Http", "httpProbe": {"path": "/", "port": 80}, "tcpProbe": {"port": 80} """, "runtime.tcpProbe", "is only used when health is Tcp; health is Http")]
    [InlineData(""" "tcpProbe": {"port": 80} """, "runtime.tcpProbe", "is only used when health is Tcp; health is Image")]
    [InlineData(""" "health": "Tcp", "fastCgiProbe": {"port": 9000}, "tcpProbe": {"port": 9000} """, "runtime.fastCgiProbe", "is only used when health is FastCgi")]
    [InlineData(""" "health": "FastCgi", "httpProbe": {"path": "/", "port": 80}, "fastCgiProbe": {"port": 9000} """, "runtime.httpProbe", "is only used when health is Http")]
    [InlineData(""" "health": "Tcp", "tcpProbe": {"portName": "FPM_PORT"} """, "runtime.tcpProbe.portName", "'FPM_PORT' is not one of the service's ports (PORT)")]
    [InlineData(""" "health": "Tcp", "tcpProbe": {} """, "runtime.tcpProbe", "needs exactly one of portName")]
    [InlineData(""" "health": "Tcp", "tcpProbe": {"port": 70000} """, "runtime.tcpProbe.port", "70000 is out of range")]
    [InlineData(""" "health": "Tcp", "tcpProbe": {"port": 9000, "timeoutSeconds": 0} """, "runtime.tcpProbe.timeoutSeconds", "must be between 1 and 60; got 0")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"portName": "FPM"} """, "runtime.fastCgiProbe.portName", "'FPM' is not one of the service's ports")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"port": 9000, "portName": "PORT"} """, "runtime.fastCgiProbe", "needs exactly one of portName")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"port": 9000, "path": "ping"} """, "runtime.fastCgiProbe.path", "must start with '/'")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"port": 9000, "path": "/ping me"} """, "runtime.fastCgiProbe.path", "must start with '/'")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"port": 9000, "path": null} """, "runtime.fastCgiProbe.path", "cannot be null")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"port": 9000, "response": " "} """, "runtime.fastCgiProbe.response", "cannot be blank")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"port": 9000, "response": null} """, "runtime.fastCgiProbe.response", "cannot be null")]
    [InlineData(""" "health": "FastCgi", "fastCgiProbe": {"port": 9000, "timeoutSeconds": 61} """, "runtime.fastCgiProbe.timeoutSeconds", "must be between 1 and 60; got 61")]
    public void AWrongProbe_IsRefused_NamingItsField(string members, string field, string reason)
    {
        var refused = Assert.Throws<InvalidRequestException>(() => Valid($"{{ {Ports}, {members} }}"));

        Assert.Equal(field, refused.Field);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOversizedFastCgiResponse_IsRefusedByLength()
    {
        var refused = Assert.Throws<InvalidRequestException>(() => Valid($$"""{ {{Ports}}, "health": "FastCgi", "fastCgiProbe": {"port": 9000, "response": "{{new string('x', 2000)}}"} }"""));

        Assert.Equal(("runtime.fastCgiProbe.response", true), (refused.Field, refused.Message.Contains("at most 1024", StringComparison.Ordinal)));
    }

    [Fact]
    public void AMemberAProbeDoesNotHave_IsRefusedByJson()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RuntimeSpec>("""{"health": "FastCgi", "fastCgiProbe": {"port": 9000, "socket": "/run/php.sock"}}""", Json));

        Assert.Contains("socket", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HealthKind.Http, 3)]
    [InlineData(HealthKind.Tcp, 4)]
    [InlineData(HealthKind.FastCgi, 5)]
    [InlineData(HealthKind.Image, 0)]
    public void TheProbeTimeout_IsTheChosenKindsOwn(HealthKind kind, int seconds)
    {
        var spec = new RuntimeSpec
        {
            Health = kind, HttpProbe = new HttpProbe("/", Port: 80, TimeoutSeconds: 3), TcpProbe = new TcpProbe(Port: 80, TimeoutSeconds: 4), FastCgiProbe = new FastCgiProbe(Port: 9000, TimeoutSeconds: 5),
        };

        Assert.Equal(seconds, ReplicaHealth.ProbeTimeoutSeconds(spec));
    }
}
