using ControlPanel.Core.Releases;
using ControlPanel.Web.Components.Pages.Services;

namespace ControlPanel.Web.Tests;

/// <summary>The runtime form's health picker: choosing a kind fills in that kind's probe with its fields.</summary>
public sealed class RuntimeHealthTemplateTests
{
    [Fact]
    public void ChoosingFastCgi_WritesPhpFpmsPingOnTheSpecsFirstPort_AndDropsTheHttpProbe()
    {
        var edited = new RuntimeSpec
        {
            Ports = [new PortSpec("FPM_PORT", RangeStart: 9000, RangeEnd: 9009)], Health = HealthKind.Http, HttpProbe = new HttpProbe("/health", "FPM_PORT"),
        };

        var spec = RuntimeHealthTemplate.With(edited, HealthKind.FastCgi);

        Assert.Equal((HealthKind.FastCgi, null, null), (spec.Health, spec.HttpProbe, spec.TcpProbe));
        Assert.Equal(new FastCgiProbe("/ping", "pong", "FPM_PORT", null, 2), spec.FastCgiProbe);
    }

    [Fact]
    public void ChoosingTcp_WithoutPorts_WritesAFixedPort_AndAProbeAlreadyWrittenIsKept()
    {
        var tcp = RuntimeHealthTemplate.With(new RuntimeSpec(), HealthKind.Tcp);
        var kept = RuntimeHealthTemplate.With(new RuntimeSpec { Health = HealthKind.Tcp, TcpProbe = new TcpProbe(Port: 7000, TimeoutSeconds: 9) }, HealthKind.Tcp);
        var image = RuntimeHealthTemplate.With(new RuntimeSpec { Health = HealthKind.Tcp, TcpProbe = new TcpProbe(Port: 7000) }, HealthKind.Image);

        Assert.Equal(new TcpProbe(null, 9000, 2), tcp.TcpProbe);
        Assert.Equal(new TcpProbe(null, 7000, 9), kept.TcpProbe);
        Assert.Equal((HealthKind.Image, null), (image.Health, image.TcpProbe));
    }
}
