using Microsoft.Extensions.Options;

namespace ControlPanel.Core.Releases;

public sealed class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
    {
        if (options.EngineCallTimeout < TimeSpan.FromSeconds(1) || options.EngineCallTimeout > TimeSpan.FromHours(1))
            return ValidateOptionsResult.Fail($"ControlPanel:Deployments:EngineCallTimeout must be between 1 second and 1 hour; got {options.EngineCallTimeout}.");
        if (options.PullTimeout < TimeSpan.FromSeconds(10) || options.PullTimeout > TimeSpan.FromDays(1))
            return ValidateOptionsResult.Fail($"ControlPanel:Deployments:PullTimeout must be between 10 seconds and 1 day; got {options.PullTimeout}.");
        return ValidateOptionsResult.Success;
    }
}
