using ControlPanel.Core.Common;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Traffic;

namespace ControlPanel.Core.Tests.Traffic;

public sealed class RouteRulesTests
{
    private static RuntimeSpec Routed(RouteSpec route, bool router = false) =>
        new() { Ports = [new PortSpec("PORT", RangeStart: 9000, RangeEnd: 9010)], Route = route, Router = router };

    private static readonly RouteSpec Good = new("web-nginx", "fpm", "PORT", "/etc/nginx/conf.d/upstream-fpm.conf");

    [Fact]
    public void AValidRoute_AndNoRoute_Pass()
    {
        RouteRules.Check(Routed(Good));
        RouteRules.Check(new RuntimeSpec());
    }

    [Theory]
    [InlineData("Web_Nginx", "fpm", "PORT", "/etc/nginx/conf.d/u.conf", "runtime.route.router")]
    [InlineData("web-nginx", "fpm; include /etc/passwd", "PORT", "/etc/nginx/conf.d/u.conf", "runtime.route.upstream")]
    [InlineData("web-nginx", "", "PORT", "/etc/nginx/conf.d/u.conf", "runtime.route.upstream")]
    [InlineData("web-nginx", "fpm", "HTTP", "/etc/nginx/conf.d/u.conf", "runtime.route.portName")]
    [InlineData("web-nginx", "fpm", "PORT", "etc/nginx/u.conf", "runtime.route.file")]
    [InlineData("web-nginx", "fpm", "PORT", "/etc/nginx/../passwd.conf", "runtime.route.file")]
    [InlineData("web-nginx", "fpm", "PORT", "/etc/nginx/conf.d/u.txt", "runtime.route.file")]
    [InlineData("web-nginx", "fpm", "PORT", "/etc/nginx/conf d/u.conf", "runtime.route.file")]
    public void EachBadField_IsRefusedByName(string router, string upstream, string port, string file, string field)
    {
        var refused = Assert.Throws<InvalidRequestException>(() => RouteRules.Check(Routed(new RouteSpec(router, upstream, port, file))));
        Assert.Equal(field, refused.Field);
        Assert.StartsWith($"'{field}'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARouter_CannotItselfBeRouted()
    {
        var refused = Assert.Throws<InvalidRequestException>(() => RouteRules.Check(Routed(Good, router: true)));
        Assert.Equal("runtime.route", refused.Field);
    }
}
