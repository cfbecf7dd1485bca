using Microsoft.Extensions.Options;

namespace ControlPanel.Core.Timeline;

public sealed class TimelineOptionsValidator : IValidateOptions<TimelineOptions>
{
    public ValidateOptionsResult Validate(string? name, TimelineOptions options)
    {
        if (options.Retention < TimeSpan.FromHours(1) || options.Retention > TimeSpan.FromDays(3650))
            return ValidateOptionsResult.Fail($"ControlPanel:Timeline:Retention must be between 1 hour and 3650 days; got {options.Retention}.");
        if (options.CrashLoopRestarts is < 2 or > 1000)
            return ValidateOptionsResult.Fail($"ControlPanel:Timeline:CrashLoopRestarts must be between 2 and 1000; got {options.CrashLoopRestarts}.");
        if (options.CrashLoopWindow < TimeSpan.FromSeconds(10) || options.CrashLoopWindow > TimeSpan.FromDays(1))
            return ValidateOptionsResult.Fail($"ControlPanel:Timeline:CrashLoopWindow must be between 10 seconds and 1 day; got {options.CrashLoopWindow}.");
        if (options.HealthFlapChanges is < 2 or > 1000)
            return ValidateOptionsResult.Fail($"ControlPanel:Timeline:HealthFlapChanges must be between 2 and 1000; got {options.HealthFlapChanges}.");
        if (options.HealthFlapWindow < TimeSpan.FromSeconds(10) || options.HealthFlapWindow > TimeSpan.FromDays(1))
            return ValidateOptionsResult.Fail($"ControlPanel:Timeline:HealthFlapWindow must be between 10 seconds and 1 day; got {options.HealthFlapWindow}.");
        if (options.PruneInterval < TimeSpan.FromSeconds(1) || options.PruneInterval > TimeSpan.FromDays(1))
            return ValidateOptionsResult.Fail($"ControlPanel:Timeline:PruneInterval must be between 1 second and 1 day; got {options.PruneInterval}.");
        return ValidateOptionsResult.Success;
    }
}
