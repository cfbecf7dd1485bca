using ControlPanel.Core.Releases;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>
/// Sets the health check of a runtime spec being edited: the kind, and the probe that kind needs with its fields filled
/// in (the spec's first port, PHP-FPM's /ping and pong), other kinds' probes removed. So the form offers every kind's
/// fields without anyone looking them up; saving still validates them.
/// </summary>
public static class RuntimeHealthTemplate
{
    /// <summary>The spec with health set to <paramref name="kind"/>; a probe of that kind already there is kept as it is.</summary>
    public static RuntimeSpec With(RuntimeSpec spec, HealthKind kind)
    {
        var port = spec.Ports.FirstOrDefault()?.Name;
        int? Fixed(int number) => port is null ? number : null;
        return spec with
        {
            Health = kind,
            HttpProbe = kind == HealthKind.Http ? spec.HttpProbe ?? new HttpProbe("/health", port, Fixed(8080)) : null,
            TcpProbe = kind == HealthKind.Tcp ? spec.TcpProbe ?? new TcpProbe(port, Fixed(9000)) : null,
            FastCgiProbe = kind == HealthKind.FastCgi ? spec.FastCgiProbe ?? new FastCgiProbe("/ping", "pong", port, Fixed(9000)) : null,
        };
    }
}
