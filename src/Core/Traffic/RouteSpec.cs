using System.Text.Json.Serialization;

namespace ControlPanel.Core.Traffic;

/// <summary>
/// A service reached through a router: the panel keeps an nginx <c>upstream</c> in every replica of the router
/// service, listing this service's replicas that are healthy and not draining.
/// </summary>
/// <param name="Router">The router service (its runtime spec has router: true).</param>
/// <param name="Upstream">The nginx upstream's name, as the router's configuration uses it (fastcgi_pass fpm).</param>
/// <param name="PortName">Which of this service's ports the upstream lists.</param>
/// <param name="File">The file inside the router's containers that holds only this upstream, e.g. /etc/nginx/conf.d/upstream-fpm.conf.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RouteSpec(string Router, string Upstream, string PortName, string File);
