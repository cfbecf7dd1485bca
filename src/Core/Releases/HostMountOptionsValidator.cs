using Microsoft.Extensions.Options;

namespace ControlPanel.Core.Releases;

public sealed class HostMountOptionsValidator : IValidateOptions<HostMountOptions>
{
    public ValidateOptionsResult Validate(string? name, HostMountOptions options)
    {
        foreach (var path in options.AllowedPaths)
        {
            if (!VolumeRules.IsCleanAbsolute(path ?? ""))
                return ValidateOptionsResult.Fail($"{VolumeRules.Setting} must list absolute host folders without '.', '..' or empty segments; got '{path}'.");
            // Refused whoever asks: allowing one of these would not make mounting it safe, and would allow nothing else.
            if (VolumeRules.IsSystemPath(VolumeRules.Normalize(path!)))
                return ValidateOptionsResult.Fail($"{VolumeRules.Setting} lists '{path}', which holds the host's system or the Docker engine; such paths are never mounted. Name a folder of your own, such as /srv/shared.");
        }
        return ValidateOptionsResult.Success;
    }
}
