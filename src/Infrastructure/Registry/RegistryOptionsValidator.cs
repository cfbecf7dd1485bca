using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Registry;

/// <summary>Fails start-up naming the entry that is not a host name (a URL or host:port would never match a realm).</summary>
public sealed class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        for (var i = 0; i < options.AllowedTokenRealms.Count; i++)
        {
            var host = options.AllowedTokenRealms[i];
            if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
                return ValidateOptionsResult.Fail($"{RegistryOptions.Section}:AllowedTokenRealms:{i} must be a host name such as auth.docker.io (no scheme, port or path); got '{host}'.");
        }
        return ValidateOptionsResult.Success;
    }
}
