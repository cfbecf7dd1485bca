namespace ControlPanel.Core.Resources;

/// <summary>Collects one container's history samples of the current minute, and yields their average once the minute is over.</summary>
internal sealed class MinuteRollup
{
    private readonly List<ResourceSample> _samples = [];
    private DateTimeOffset _minute;

    /// <summary>Adds the sample; returns the previous minute's average when the sample starts a new minute.</summary>
    public ResourceSample? Add(ResourceSample sample)
    {
        var minute = MinuteOf(sample.At);
        var completed = minute > _minute ? Complete() : null;
        if (_samples.Count == 0) _minute = minute;
        _samples.Add(sample);
        return completed;
    }

    /// <summary>The collected minute's average if that minute is before <paramref name="now"/>'s (the container stopped being sampled).</summary>
    public ResourceSample? CompleteIfBefore(DateTimeOffset now) => _samples.Count > 0 && _minute < MinuteOf(now) ? Complete() : null;

    private ResourceSample? Complete()
    {
        if (_samples.Count == 0) return null;
        var average = ResourceRates.Average(_samples, _minute);
        _samples.Clear();
        return average;
    }

    public static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
