using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Consul;

/// <summary>Fails start-up naming the Consul setting that is wrong; the token's value is never part of a message.</summary>
public sealed class ConsulOptionsValidator : IValidateOptions<ConsulOptions>
{
    private const string At = ConsulOptions.Section;

    public ValidateOptionsResult Validate(string? name, ConsulOptions options)
    {
        if (!options.IsConfigured) return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (AddressError(options.Address!) is { } address) errors.Add($"{At}:Address {address}");
        if (options.Token is { } token && (token.Length == 0 || token.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
            errors.Add($"{At}:Token must be one word without spaces or control characters (its value is not shown).");
        if (options.Datacenter is { Length: > 0 } dc && !dc.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors.Add($"{At}:Datacenter may only use letters, digits, '-', '_' and '.'; got '{dc}'.");
        foreach (var (setting, file) in new[] { ("CaFile", options.CaFile), ("ClientCertificateFile", options.ClientCertificateFile), ("ClientKeyFile", options.ClientKeyFile) })
            if (file is { Length: > 0 } && !File.Exists(file)) errors.Add($"{At}:{setting} '{file}' does not exist.");
        if (string.IsNullOrEmpty(options.ClientCertificateFile) != string.IsNullOrEmpty(options.ClientKeyFile))
            errors.Add($"{At}:ClientCertificateFile and {At}:ClientKeyFile go together; set both or neither.");
        if (options.AgentPort is < 1 or > 65535) errors.Add($"{At}:AgentPort must be between 1 and 65535; got {options.AgentPort}.");
        foreach (var (node, agent) in options.Agents)
            if (AddressError(agent) is { } error) errors.Add($"{At}:Agents:{node} {error}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Why <paramref name="address"/> is not a Consul HTTP address, or null when it is one.</summary>
    public static string? AddressError(string address) =>
        !Uri.TryCreate(address.Trim(), UriKind.Absolute, out var uri) ? $"'{address}' is not a URL; use http://host:8500 or https://host:8501."
        : uri.Scheme is not ("http" or "https") ? $"'{address}' must use http:// or https://."
        : !string.IsNullOrEmpty(uri.UserInfo) ? "must not carry credentials in the URL; set ControlPanel:Consul:Token."
        : uri.AbsolutePath != "/" || uri.Query.Length > 0 ? $"'{address}' must be scheme, host and port only (the client adds /v1/...)."
        : null;
}
