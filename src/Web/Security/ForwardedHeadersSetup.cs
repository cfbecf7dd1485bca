using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Security;

/// <summary>
/// X-Forwarded-For/-Proto, believed only from the proxies an operator names: then the audit and the sign-in rate
/// limit see the real client, and the cookie is Secure and HSTS sent when the proxy says https. With none named the
/// headers are ignored — replicas and builds share the host's loopback and could send them too.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddForwardedHeadersFromKnownProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; only what the operator lists is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies) forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address));
            foreach (var network in proxy.Value.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    public static IApplicationBuilder UseForwardedHeadersFromKnownProxies(this IApplicationBuilder app)
    {
        var proxy = app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value;
        return proxy.KnownProxies.Count + proxy.KnownNetworks.Count == 0 ? app : app.UseForwardedHeaders();
    }
}
