namespace ControlPanel.Core.Fleet;

/// <summary>Timing of engine calls and bounds of the fleet's queues; bound from the "ControlPanel:Fleet" configuration section.</summary>
public sealed class FleetOptions
{
    /// <summary>A node that has not answered by then is shown as unreachable; others are not held up.</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between reconnects of a broken event stream (the wait doubles from one second).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Engine events held per node while the panel works through earlier ones. A burst beyond it (a script
    /// creating thousands of containers) drops the queue and re-lists the node once instead.
    /// </summary>
    public int EventQueueCapacity { get; set; } = 1_000;

    /// <summary>Fleet changes held per subscriber (an open page, a log follower); beyond it the subscriber is told to re-read the fleet state.</summary>
    public int SubscriberQueueCapacity { get; set; } = 1_000;
}
