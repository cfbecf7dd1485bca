using System.Text.RegularExpressions;
using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Traffic;

/// <summary>What a route must say to be written into nginx safely; each error names the field.</summary>
public static partial class RouteRules
{
    /// <summary>Checks what the spec alone can tell; that the router exists and is one is checked where services are saved.</summary>
    public static void Check(RuntimeSpec spec)
    {
        if (spec.Route is not { } route) return;
        if (spec.Router) Fail("runtime.route", "a router cannot itself be routed through another router.");
        Present(route.Router, "runtime.route.router");
        Present(route.Upstream, "runtime.route.upstream");
        Present(route.PortName, "runtime.route.portName");
        Present(route.File, "runtime.route.file");
        if (!Services.ServiceValidation.IsName(route.Router)) Fail("runtime.route.router", $"must name a service (lowercase letters, digits and '-'); got '{route.Router}'.");
        // Written into nginx's configuration: only a plain name, so nothing else can be smuggled in with it.
        if (!UpstreamName().IsMatch(route.Upstream)) Fail("runtime.route.upstream", $"must be 1–64 letters, digits, '_' or '-', starting with a letter or '_'; got '{route.Upstream}'.");
        if (spec.Ports.All(p => p.Name != route.PortName))
            Fail("runtime.route.portName", $"'{route.PortName}' is not one of the service's ports ({(spec.Ports.Count == 0 ? "it has none" : string.Join(", ", spec.Ports.Select(p => p.Name)))}).");
        if (!ConfFile().IsMatch(route.File) || route.File.Split('/').Any(part => part is "." or ".."))
            Fail("runtime.route.file", $"must be an absolute path to a .conf file of letters, digits, '_', '-', '.' and '/', without '..'; got '{route.File}'.");
    }

    private static void Present(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) Fail(field, "is required.");
    }

    private static void Fail(string field, string reason) => throw new InvalidRequestException(field, $"'{field}' {reason}");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex UpstreamName();

    [GeneratedRegex("^/[A-Za-z0-9_./-]{1,200}\\.conf$")]
    private static partial Regex ConfFile();
}
