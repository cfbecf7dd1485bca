using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;
using ControlPanel.Web.Components.Pages.Services;

namespace ControlPanel.Web.Tests;

/// <summary>The runtime form's health picker: choosing a kind writes that kind's probe with its fields into the JSON being edited.</summary>
public sealed class RuntimeHealthTemplateTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public void ChoosingFastCgi_WritesPhpFpmsPingOnTheSpecsFirstPort_AndDropsTheHttpProbe()
    {
        var edited = JsonSerializer.Serialize(new RuntimeSpec
        {
            Ports = [new PortSpec("FPM_PORT", RangeStart: 9000, RangeEnd: 9009)], Health = HealthKind.Http, HttpProbe = new HttpProbe("/health", "FPM_PORT"),
        }, Json);

        var chosen = RuntimeHealthTemplate.With(edited, HealthKind.FastCgi);

        var spec = JsonSerializer.Deserialize<RuntimeSpec>(chosen, Json)!;
        Assert.Equal((HealthKind.FastCgi, null, null), (spec.Health, spec.HttpProbe, spec.TcpProbe));
        Assert.Equal(new FastCgiProbe("/ping", "pong", "FPM_PORT", null, 2), spec.FastCgiProbe);
        Assert.Equal(HealthKind.FastCgi, RuntimeHealthTemplate.Current(chosen));
    }

    [Fact]
    public void ChoosingTcp_WithoutPorts_WritesAFixedPort_AndAProbeAlreadyWrittenIsKept()
    {
        var tcp = JsonSerializer.Deserialize<RuntimeSpec>(RuntimeHealthTemplate.With("{}", HealthKind.Tcp), Json)!;
        var kept = JsonSerializer.Deserialize<RuntimeSpec>(RuntimeHealthTemplate.With("""{"health": "Tcp", "tcpProbe": {"port": 7000, "timeoutSeconds": 9}}""", HealthKind.Tcp), Json)!;
        var image = JsonSerializer.Deserialize<RuntimeSpec>(RuntimeHealthTemplate.With("""{"health": "Tcp", "tcpProbe": {"port": 7000}}""", HealthKind.Image), Json)!;

        Assert.Equal(new TcpProbe(null, 9000, 2), tcp.TcpProbe);
        Assert.Equal(new TcpProbe(null, 7000, 9), kept.TcpProbe);
        Assert.Equal((HealthKind.Image, null), (image.Health, image.TcpProbe));
    }

    [Fact]
    public void JsonThatDoesNotParse_IsLeftAlone_WithAnErrorSayingSo()
    {
        var refused = Assert.Throws<InvalidRequestException>(() => RuntimeHealthTemplate.With("{\"ports\": [", HealthKind.Tcp));

        Assert.Contains("Fix the runtime spec's JSON before choosing a health check", refused.Message, StringComparison.Ordinal);
        Assert.Null(RuntimeHealthTemplate.Current("{\"ports\": ["));
    }
}
