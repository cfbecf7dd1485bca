namespace ControlPanel.Core.Resources;

/// <summary>How often nodes are sampled and how much history is kept (the defaults are what the charts expect).</summary>
public sealed class ResourceUsageOptions
{
    /// <summary>The rate while a page watches the node.</summary>
    public TimeSpan LiveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The rate without viewers, and the resolution of the in-memory history.</summary>
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the in-memory history of each container reaches back.</summary>
    public TimeSpan RingSpan { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the durable one-minute rollups are kept.</summary>
    public TimeSpan RollupRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Engine stats calls in flight at once per node. A one-shot read mostly waits on containerd (up to seconds on a
    /// busy host), not on the panel, so a round of 200 containers needs this many in flight to fit in 10 s; the docker
    /// CLI's own `docker stats` asks for every container at once.
    /// </summary>
    public int ReadsInFlightPerNode { get; set; } = 32;

    /// <summary>How long one stats read may take before the round goes on without it.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int RingCapacity => (int)Math.Ceiling(RingSpan / HistoryInterval);
}
