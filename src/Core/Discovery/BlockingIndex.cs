namespace ControlPanel.Core.Discovery;

/// <summary>The index rules of Consul's "Blocking Queries" page (API docs of Consul 1.16).</summary>
public static class BlockingIndex
{
    /// <summary>
    /// The index to send on the next query after one sent with <paramref name="sent"/> came back with
    /// <paramref name="received"/> (X-Consul-Index). An index that went backwards (a snapshot restore, a deleted
    /// key, an upgrade) resets to 0 so the loop starts over instead of missing updates; an index below 1 becomes 1,
    /// which always blocks, instead of 0, which never does and would turn the loop into a busy one.
    /// </summary>
    public static ulong Next(ulong sent, ulong received) =>
        received < sent ? 0 : Math.Max(received, 1);
}
