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
    /// Engine stats calls in flight at once per node. A one-shot read is mostly waiting, not work: Docker 20.10 answers
    /// it from its stats collector, which reads every container that has a waiting call once per second, so a read
    /// waits up to a second and all reads waiting at that tick are answered together. A round therefore asks for a
    /// node's containers all at once, as `docker stats` does: on the lab, 200 containers took 25.6 s at 8 in flight,
    /// 7.5 s at 32 and 1.5 s at 200. The bound keeps a very large node to a few ticks rather than thousands of calls.
    /// </summary>
    public int ReadsInFlightPerNode { get; set; } = 256;

    /// <summary>How long one stats read may take before the round goes on without it.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int RingCapacity => (int)Math.Ceiling(RingSpan / HistoryInterval);
}
