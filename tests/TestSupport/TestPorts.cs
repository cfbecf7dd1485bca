namespace ControlPanel.TestSupport;

/// <summary>
/// Loopback ports for tests (all nodes share the host network). Test projects run at once in separate processes, and a
/// port handed out for a service's range is bound only later, when a replica starts: a check that it is free now does
/// not keep another process from handing it out too. So each process claims whole blocks of ports, by holding an
/// exclusive lock on a file per block for its lifetime (the lock goes when the process does, even on a crash).
/// Blocks stay below the kernel's ephemeral range (32768+), where an outgoing connection could hold a port.
/// </summary>
internal static class TestPorts
{
    private const int FirstPort = 20000, BlockSize = 1000, BlockCount = 12;
    private static readonly object Gate = new();
    // Held open, never read: the open handle with FileShare.None (flock on Linux) is the claim.
    private static readonly List<FileStream> Claims = [];
    private static int _next, _blockEnd;

    /// <summary>The first of <paramref name="count"/> consecutive ports in this process's blocks that nothing holds now.</summary>
    public static int Next(int count)
    {
        lock (Gate)
        {
            while (true)
            {
                if (_next + count > _blockEnd) ClaimBlock();
                var first = _next;
                _next += count;
                if (Enumerable.Range(first, count).All(IsFree)) return first;
            }
        }
    }

    private static void ClaimBlock()
    {
        var folder = Path.Combine(Path.GetTempPath(), "controlpanel-test-ports");
        Directory.CreateDirectory(folder);
        // Start at a block derived from the process id, so processes rarely try the same one first.
        for (var i = 0; i < BlockCount; i++)
        {
            var start = FirstPort + (Environment.ProcessId + i) % BlockCount * BlockSize;
            try
            {
                Claims.Add(new FileStream(Path.Combine(folder, $"block-{start}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                (_next, _blockEnd) = (start, start + BlockSize);
                return;
            }
            catch (IOException)
            {
                // Claimed by another test process, or by this one already.
            }
        }
        throw new InvalidOperationException($"All {BlockCount} test port blocks ({FirstPort}–{FirstPort + BlockCount * BlockSize - 1}) are claimed by running test processes.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
