using System.Net;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Security;

public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        foreach (var proxy in options.KnownProxies)
            if (!IPAddress.TryParse(proxy, out _)) return ValidateOptionsResult.Fail($"ControlPanel:Http:KnownProxies must list IP addresses; got '{proxy}'.");
        foreach (var network in options.KnownNetworks)
            if (!System.Net.IPNetwork.TryParse(network, out _)) return ValidateOptionsResult.Fail($"ControlPanel:Http:KnownNetworks must list networks in CIDR form (10.1.0.0/16); got '{network}'.");
        foreach (var origin in options.AllowedOrigins)
            if (OriginCheck.Normalize(origin) is null)
                return ValidateOptionsResult.Fail($"ControlPanel:Http:AllowedOrigins must list origins such as https://panel.example.com (scheme, host, optional port; no path); got '{origin}'.");
        return ValidateOptionsResult.Success;
    }
}
