using Microsoft.Extensions.Options;

namespace ControlPanel.Core.Fleet;

public sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        if (options.NodeTimeout <= TimeSpan.Zero || options.NodeTimeout > TimeSpan.FromMinutes(5))
            return ValidateOptionsResult.Fail($"ControlPanel:Fleet:NodeTimeout must be between 0 and 5 minutes; got {options.NodeTimeout}.");
        if (options.MaxReconnectDelay < TimeSpan.FromSeconds(1))
            return ValidateOptionsResult.Fail($"ControlPanel:Fleet:MaxReconnectDelay must be at least 1 second; got {options.MaxReconnectDelay}.");
        return ValidateOptionsResult.Success;
    }
}
