namespace ControlPanel.Core.Common;

/// <summary>
/// How a running build or deployment shows it is alive: its record is touched every <see cref="HeartbeatInterval"/>,
/// so any panel instance sharing the database can tell it from one whose panel died.
/// </summary>
public sealed class LivenessOptions
{
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A running build or deployment not touched for this long belongs to a panel that stopped and is marked interrupted.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(2);
}
