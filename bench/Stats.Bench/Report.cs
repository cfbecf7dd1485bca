using System.Globalization;
using System.Text;

namespace ControlPanel.Bench;

/// <summary>The printed table of the windows, the ratios between them, and the verdict on the issue's target.</summary>
public static class Report
{
    public const double TargetPercent = 10;

    public static string Line(WindowResult w) =>
        (w.PanelCpu is { } p ? $"panel {w.Percent(p):0.00} % CPU, {w.PanelRss / 1048576.0:0} MB RSS; " : "") +
        (w.ReadingsPerSecond is { } n ? $"{n:0.0} readings/s; " : "") +
        (w.EngineReadsPerSecond is { } e ? $"{e:0.0} engine reads/s; " : "") +
        (w.LoopCpu is { } l ? $"loop {w.Percent(l):0.00} % CPU in {w.LoopRounds} rounds; " : "") +
        $"dockerd ×3 {w.Percent(w.DockerdCpu):0.00} %, engines {w.Percent(w.EnginesCpu):0.00} %";

    public static string Table(IReadOnlyList<WindowResult> windows)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {"window",-44} | {"s",4} | {"running",7} | {"panel CPU %",11} | {"panel RSS MB (end/peak)",23} | {"loop CPU %",10} | {"dockerd×3 CPU %",15} | {"engines CPU %",13} | {"readings/s",10} |");
        text.AppendLine($"|{new string('-', 46)}|{new string('-', 6)}|{new string('-', 9)}|{new string('-', 13)}|{new string('-', 25)}|{new string('-', 12)}|{new string('-', 17)}|{new string('-', 15)}|{new string('-', 12)}|");
        foreach (var w in windows)
        {
            var rss = w.PanelRss is { } r ? $"{r / 1048576.0:0} / {w.PanelPeakRss / 1048576.0:0}" : "-";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {w.Name,-44} | {w.Seconds,4:0} | {w.Running,7} | {Percent(w, w.PanelCpu),11} | {rss,23} | {Percent(w, w.LoopCpu),10} | {w.Percent(w.DockerdCpu),15:0.00} | {w.Percent(w.EnginesCpu),13:0.00} | {Rate(w),10} |");
        }
        text.Append("(% of one core; engines = dockerd + containerd + the containers' shims of node1..node3; loop = sh + docker CLIs; running = containers on node1..node3 at the start, this run's and others';" +
            " readings/s = new readings of this run's containers the panel served: the configured rates are containers/10 and containers/2)");
        return text.ToString();
    }

    /// <summary>The panel beside the script at the same 10 s rate, and above the engines' floor when nothing samples.</summary>
    public static string Ratios(WindowResult history, WindowResult live, WindowResult idle, WindowResult loop)
    {
        double Pct(WindowResult w, double? cpu) => w.Percent(cpu ?? 0);
        var panel = Pct(history, history.PanelCpu);
        var script = Pct(loop, loop.LoopCpu);
        var panelEngines = history.Percent(history.EnginesCpu) - idle.Percent(idle.EnginesCpu);
        var scriptEngines = loop.Percent(loop.EnginesCpu) - idle.Percent(idle.EnginesCpu);
        return string.Join(Environment.NewLine,
            $"panel / docker stats loop, sampler CPU at 10 s:            {panel:0.00} % / {script:0.00} % = {Ratio(panel, script)}",
            $"engines above idle while sampled, panel / loop:            {panelEngines:0.00} % / {scriptEngines:0.00} % = {Ratio(panelEngines, scriptEngines)}",
            $"panel + engines above idle / loop + engines above idle:    {panel + panelEngines:0.00} % / {script + scriptEngines:0.00} % = {Ratio(panel + panelEngines, script + scriptEngines)}",
            $"panel live (Nodes page open, 2 s) / panel at 10 s:         {Pct(live, live.PanelCpu):0.00} % / {panel:0.00} % = {Ratio(Pct(live, live.PanelCpu), panel)}",
            $"panel at 10 s / its own dockerds:                          {panel:0.00} % / {history.Percent(history.DockerdCpu):0.00} % = {Ratio(panel, history.Percent(history.DockerdCpu))}");
    }

    /// <summary>The readings the panel served beside those its intervals ask for (one per container per 10 s, or per 2 s when watched).</summary>
    public static string Rates(int containers, WindowResult history, WindowResult live) =>
        $"achieved rate: {history.ReadingsPerSecond:0.0} readings/s of the configured {containers / 10.0:0.0} without viewers ({Share(history.ReadingsPerSecond, containers / 10.0)}), " +
        $"{live.ReadingsPerSecond:0.0} of {containers / 2.0:0.0} with the Nodes page open ({Share(live.ReadingsPerSecond, containers / 2.0)})";

    /// <summary>
    /// Every stats read the engines answered, beside one per running container per interval: the API figure above is
    /// capped at containers/5 per second by its 5 s poll, this one is not.
    /// </summary>
    public static string EngineRates(WindowResult history, WindowResult live) =>
        $"engine stats reads: {history.EngineReadsPerSecond:0.0}/s of {history.Running / 10.0:0.0} (one per running container per 10 s) without viewers " +
        $"({Share(history.EngineReadsPerSecond, history.Running / 10.0)}), {live.EngineReadsPerSecond:0.0}/s of {live.Running / 2.0:0.0} with the Nodes page open " +
        $"({Share(live.EngineReadsPerSecond, live.Running / 2.0)})";

    public static string Verdict(int containers, WindowResult history, WindowResult live)
    {
        var worst = Math.Max(history.Percent(history.PanelCpu ?? 0), live.Percent(live.PanelCpu ?? 0));
        return $"target: panel < {TargetPercent:0} % of one core for {containers} containers: {(worst < TargetPercent ? "met" : "not met")} " +
            $"({history.Percent(history.PanelCpu ?? 0):0.00} % without viewers, {live.Percent(live.PanelCpu ?? 0):0.00} % with the Nodes page open; " +
            "read it with the achieved rate above: rounds slower than the interval cost less per second)";
    }

    private static string Share(double? achieved, double configured) => achieved is { } a ? $"{100 * a / configured:0} %" : "-";

    private static string Percent(WindowResult w, double? cpu) => cpu is { } c ? w.Percent(c).ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Rate(WindowResult w) => w.ReadingsPerSecond is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
