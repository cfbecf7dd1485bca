using System.Globalization;
using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>The sampled fleet: idle busybox containers (<c>sleep 1d</c>, host network) on each node, removed with the run's label.</summary>
public static class IdleContainers
{
    // Measured on the lab: a containerd shim holds ~14 MB resident (much of it shared) and ~10 threads; sleep ~0.2 MB.
    private const long BytesEach = 16L << 20;
    private const int ThreadsEach = 12;

    /// <summary>Refuses to start when the machine lacks the memory or the process ids for the containers.</summary>
    public static void CheckMachine(int containers)
    {
        var available = ReadMeminfo("MemAvailable") * 1024;
        var needed = containers * BytesEach + (2L << 30);
        if (available < needed)
            throw new InvalidOperationException($"{containers} containers need about {needed >> 20} MB free; the machine has {available >> 20} MB available.");
        var threads = Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0]))
            .Sum(d => Directory.Exists($"{d}/task") ? SafeCount($"{d}/task") : 0);
        var pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);
        if (threads + containers * ThreadsEach > pidMax * 0.8)
            throw new InvalidOperationException($"{containers} containers need about {containers * ThreadsEach} more threads; {threads} of pid_max {pidMax} are in use.");
        Console.WriteLine($"machine: {available >> 20} MB available (need ~{needed >> 20}), {threads} threads of pid_max {pidMax}");
    }

    public static async Task CreateAsync(LabContainers lab, IReadOnlyList<NodeDefinition> nodes, int perNode, CancellationToken cancellationToken)
    {
        var work = nodes.SelectMany(n => Enumerable.Range(0, perNode).Select(i => (Node: n, Index: i)));
        var done = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = cancellationToken }, async (w, _) =>
        {
            await lab.RunAsync(w.Node, "busybox", $"idle-{w.Index:D3}", shellCommand: "exec sleep 1d",
                labels: new Dictionary<string, string> { ["controlpanel.bench"] = "stats" });
            if (Interlocked.Increment(ref done) % 100 == 0) Console.WriteLine($"  {done} of {nodes.Count * perNode} started");
        });
    }

    private static long ReadMeminfo(string field) =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static int SafeCount(string directory)
    {
        try
        {
            return Directory.EnumerateDirectories(directory).Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // the process ended meanwhile
        }
    }
}
