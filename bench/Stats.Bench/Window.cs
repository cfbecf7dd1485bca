using System.Diagnostics;

namespace ControlPanel.Bench;

/// <summary>What one measured window cost, in CPU seconds over its wall-clock seconds.</summary>
public sealed record WindowResult(string Name, double Seconds, int Running, double? PanelCpu, long? PanelRss, long? PanelPeakRss,
    double DockerdCpu, double EnginesCpu, double? LoopCpu = null, int? LoopRounds = null, int? Readings = null, long? EngineReads = null)
{
    /// <summary>New readings of this run's containers per second, as the panel's API showed them.</summary>
    public double? ReadingsPerSecond => Readings / Seconds;

    /// <summary>Stats reads the engines answered the panel per second, every container's (this run's and others').</summary>
    public double? EngineReadsPerSecond => EngineReads / Seconds;

    /// <summary>CPU seconds as a percentage of one core over the window.</summary>
    public double Percent(double cpuSeconds) => 100 * cpuSeconds / Seconds;
}

/// <summary>
/// One measured window: CPU time of the panel process, of the three dockerds and of the whole engines (dockerd,
/// containerd, shims), read from /proc at its start and end; the panel's resident memory polled each second for its peak.
/// </summary>
public sealed class Window
{
    private readonly string _name;
    private readonly int _running;
    private readonly int? _panel;
    private readonly IReadOnlyList<EngineProcesses> _engines;
    private readonly CpuSnapshot _panelStart, _dockerdStart, _enginesStart;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _peakRss;

    private Window(string name, IReadOnlyList<EngineProcesses> engines, int? panel, int running)
    {
        (_name, _engines, _panel, _running) = (name, engines, panel, running);
        _panelStart = CpuSnapshot.Take(panel is { } p ? [p] : []);
        _dockerdStart = CpuSnapshot.Take(engines.Select(e => e.Dockerd));
        _enginesStart = CpuSnapshot.Take(engines.SelectMany(e => e.All));
        _clock.Restart();
    }

    /// <summary>
    /// Starts measuring now, with the engines' processes as they are now. Other runs share the lab's nodes, and both the
    /// panel and docker stats sample every running container: <paramref name="running"/> says how many there were.
    /// </summary>
    public static Window Start(string name, int nodes, int? panelPid, int running)
    {
        Console.WriteLine($"window: {name}, {running} containers running on the nodes");
        return new Window(name, EngineProcesses.Find(nodes), panelPid, running);
    }

    /// <summary>Waits out the window, noting the panel's peak resident memory each second and polling its readings every 5 s.</summary>
    public async Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken, SampledReadings? readings = null)
    {
        if (readings is not null) await readings.PollAsync();
        for (var second = 1; _clock.Elapsed < duration; second++)
        {
            if (_panel is { } p) _peakRss = Math.Max(_peakRss, ProcFs.RssBytes(p));
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            if (readings is not null && second % 5 == 0) await readings.PollAsync();
        }
        if (readings is not null) await readings.PollAsync();
    }

    public WindowResult End(double? loopCpu = null, int? loopRounds = null, int? readings = null, long? engineReads = null)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        double? panelCpu = _panel is { } p ? CpuSnapshot.Take([p]).SecondsSince(_panelStart) : null;
        long? rss = _panel is { } q ? ProcFs.RssBytes(q) : null;
        var result = new WindowResult(_name, seconds, _running, panelCpu, rss, rss is { } r ? Math.Max(r, _peakRss) : null,
            CpuSnapshot.Take(_engines.Select(e => e.Dockerd)).SecondsSince(_dockerdStart),
            CpuSnapshot.Take(_engines.SelectMany(e => e.All)).SecondsSince(_enginesStart),
            loopCpu, loopRounds, readings, engineReads);
        Console.WriteLine($"  {seconds:0} s: " + Report.Line(result));
        return result;
    }
}
