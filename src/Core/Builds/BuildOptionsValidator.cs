using Microsoft.Extensions.Options;

namespace ControlPanel.Core.Builds;

public sealed class BuildOptionsValidator : IValidateOptions<BuildOptions>
{
    public ValidateOptionsResult Validate(string? name, BuildOptions options) =>
        options.GitTimeout < TimeSpan.FromSeconds(1) || options.GitTimeout > TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail($"ControlPanel:Builds:GitTimeout must be between 1 second and 1 day; got {options.GitTimeout}.")
            : ValidateOptionsResult.Success;
}
