using Microsoft.Extensions.Options;

namespace ControlPanel.Core.Common;

public sealed class LivenessOptionsValidator : IValidateOptions<LivenessOptions>
{
    public ValidateOptionsResult Validate(string? name, LivenessOptions options)
    {
        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > TimeSpan.FromMinutes(10))
            return ValidateOptionsResult.Fail($"ControlPanel:Liveness:HeartbeatInterval must be between 100 ms and 10 minutes; got {options.HeartbeatInterval}.");
        // Missing a beat or two (a slow database, a GC pause) must not make a live deployment look dead.
        if (options.AbandonedAfter > TimeSpan.FromDays(1))
            return ValidateOptionsResult.Fail($"ControlPanel:Liveness:AbandonedAfter must be at most a day; got {options.AbandonedAfter}.");
        if (options.AbandonedAfter < 3 * options.HeartbeatInterval)
            return ValidateOptionsResult.Fail($"ControlPanel:Liveness:AbandonedAfter must be at least three heartbeats ({3 * options.HeartbeatInterval}); got {options.AbandonedAfter}.");
        return ValidateOptionsResult.Success;
    }
}
