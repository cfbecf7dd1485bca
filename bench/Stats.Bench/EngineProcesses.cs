namespace ControlPanel.Bench;

/// <summary>
/// The processes of one lab engine: its dockerd (from the lab's pidfile), the containerd that dockerd started, and the
/// containerd shims of its containers (found by the containerd socket under the engine's exec root). A stats call runs
/// through all three: dockerd asks containerd, which asks the container's shim for its cgroup's counters.
/// </summary>
public sealed record EngineProcesses(string Node, int Dockerd, IReadOnlyList<int> Containerd, IReadOnlyList<int> Shims)
{
    public IEnumerable<int> All => [Dockerd, .. Containerd, .. Shims];

    /// <summary>The engines of lab nodes node1..nodeN (N = <paramref name="count"/>), as they run now.</summary>
    public static IReadOnlyList<EngineProcesses> Find(int count)
    {
        var processes = ProcFs.All().ToList();
        return Enumerable.Range(1, count).Select(n =>
        {
            var pidFile = Environment.GetEnvironmentVariable($"LAB_NODE{n}_PIDFILE")
                ?? throw new InvalidOperationException($"LAB_NODE{n}_PIDFILE is unset: run eval \"$(scripts/lab env)\" first.");
            var dockerd = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var commandLine = processes.FirstOrDefault(p => p.Pid == dockerd).CommandLine
                ?? throw new InvalidOperationException($"node{n}'s dockerd (pid {dockerd} in {pidFile}) is not running.");
            var arguments = commandLine.Split(' ');
            var execRoot = arguments.SkipWhile(a => a != "--exec-root").Skip(1).FirstOrDefault()
                ?? throw new InvalidOperationException($"node{n}'s dockerd has no --exec-root: {commandLine}");
            var socket = $"-address {execRoot}/containerd/containerd.sock";
            return new EngineProcesses($"node{n}", dockerd,
                processes.Where(p => p.Parent == dockerd && p.CommandLine.StartsWith("containerd ", StringComparison.Ordinal)).Select(p => p.Pid).ToList(),
                processes.Where(p => p.CommandLine.Contains("containerd-shim", StringComparison.Ordinal) && p.CommandLine.EndsWith(socket, StringComparison.Ordinal))
                    .Select(p => p.Pid).ToList());
        }).ToList();
    }
}

/// <summary>CPU seconds of a set of processes at one moment.</summary>
public sealed class CpuSnapshot
{
    private readonly Dictionary<int, double> _seconds;

    private CpuSnapshot(Dictionary<int, double> seconds) => _seconds = seconds;

    public static CpuSnapshot Take(IEnumerable<int> pids) =>
        new(pids.Distinct().Select(p => (Pid: p, Seconds: ProcFs.CpuSeconds(p))).Where(p => p.Seconds is not null).ToDictionary(p => p.Pid, p => p.Seconds!.Value));

    /// <summary>CPU seconds spent since <paramref name="earlier"/> by the processes alive at both moments.</summary>
    public double SecondsSince(CpuSnapshot earlier) =>
        _seconds.Where(p => earlier._seconds.ContainsKey(p.Key)).Sum(p => p.Value - earlier._seconds[p.Key]);
}
