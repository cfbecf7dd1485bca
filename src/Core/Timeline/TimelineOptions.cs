namespace ControlPanel.Core.Timeline;

/// <summary>How long the timeline keeps entries and when repeats fold into one; bound from "ControlPanel:Timeline".</summary>
public sealed class TimelineOptions
{
    /// <summary>Entries older than this are pruned.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>This many restarts of one container within <see cref="CrashLoopWindow"/> become one crash loop entry.</summary>
    public int CrashLoopRestarts { get; set; } = 3;

    public TimeSpan CrashLoopWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>This many health changes of one container within <see cref="HealthFlapWindow"/> become one health flap entry.</summary>
    public int HealthFlapChanges { get; set; } = 4;

    public TimeSpan HealthFlapWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often old entries are pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
