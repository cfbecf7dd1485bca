using ControlPanel.Core.Common;

namespace ControlPanel.Core.Releases;

/// <summary>Checks a runtime spec's health probe: the one its health kind needs is there, no other is, and each field names what is wrong.</summary>
internal static class HealthProbeValidation
{
    public static void Validate(RuntimeSpec spec)
    {
        OnlyFor(spec, HealthKind.Http, "runtime.httpProbe", spec.HttpProbe, "a path and the port to probe");
        OnlyFor(spec, HealthKind.Tcp, "runtime.tcpProbe", spec.TcpProbe, "the port to connect to");
        OnlyFor(spec, HealthKind.FastCgi, "runtime.fastCgiProbe", spec.FastCgiProbe, "the port of the FastCGI server (path and response default to PHP-FPM's /ping and pong)");
        switch (spec.Health)
        {
            case HealthKind.Http:
                var http = spec.HttpProbe!;
                RequestPath(http.Path, "runtime.httpProbe.path");
                Target(spec, "runtime.httpProbe", http.PortName, http.Port, http.TimeoutSeconds);
                break;
            case HealthKind.Tcp:
                var tcp = spec.TcpProbe!;
                Target(spec, "runtime.tcpProbe", tcp.PortName, tcp.Port, tcp.TimeoutSeconds);
                break;
            case HealthKind.FastCgi:
                var fastCgi = spec.FastCgiProbe!;
                RequestPath(fastCgi.Path, "runtime.fastCgiProbe.path");
                if (string.IsNullOrWhiteSpace(fastCgi.Response))
                    Fail("runtime.fastCgiProbe.response", "must say the body expected (PHP-FPM's ping.response, e.g. pong); white space around the answer is ignored, so it cannot be blank.");
                Target(spec, "runtime.fastCgiProbe", fastCgi.PortName, fastCgi.Port, fastCgi.TimeoutSeconds);
                break;
        }
    }

    /// <summary>The probe of <paramref name="kind"/> is required when health is that kind, and refused otherwise so nobody believes it is used.</summary>
    private static void OnlyFor(RuntimeSpec spec, HealthKind kind, string field, object? probe, string needs)
    {
        if (spec.Health != kind && probe is not null) Fail(field, $"is only used when health is {kind}; health is {spec.Health}.");
        if (spec.Health == kind && probe is null) Fail(field, $"is required when health is {kind}: {needs}.");
    }

    private static void RequestPath(string path, string field)
    {
        if (!path.StartsWith('/') || path.Any(char.IsWhiteSpace) || path.Contains('#'))
            Fail(field, $"must start with '/' and hold no spaces or '#' (a query is fine); got '{path}'.");
    }

    /// <summary>Where the probe goes and how long it may take; <paramref name="probe"/> is the probe's field, e.g. runtime.tcpProbe.</summary>
    private static void Target(RuntimeSpec spec, string probe, string? portName, int? port, int timeoutSeconds)
    {
        if ((portName is null) == (port is null)) Fail(probe, "needs exactly one of portName (one of the service's ports) or port (a number).");
        if (port is < 1 or > 65535) Fail($"{probe}.port", $"{port} is out of range (1–65535).");
        if (portName is { } name && spec.Ports.All(p => p.Name != name))
            Fail($"{probe}.portName", $"'{name}' is not one of the service's ports ({(spec.Ports.Count == 0 ? "it has none" : string.Join(", ", spec.Ports.Select(p => p.Name)))}).");
        if (timeoutSeconds is < 1 or > 60) Fail($"{probe}.timeoutSeconds", $"must be between 1 and 60; got {timeoutSeconds}.");
    }

    private static void Fail(string field, string reason) => throw new InvalidRequestException(field, $"'{field}' {reason}");
}
