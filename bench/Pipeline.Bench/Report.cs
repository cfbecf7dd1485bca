using System.Globalization;
using System.Text;

namespace ControlPanel.Bench;

/// <summary>The stage-by-stage table: medians with min–max per path, the panel/CLI ratio of medians and its per-run spread.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Table(IReadOnlyList<StageTimes> panel, IReadOnlyList<StageTimes> cli, IReadOnlyList<StageTimes> gitPull)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"| {"stage",-28} | {"panel s median (min–max)",-26} | {"CLI s median (min–max)",-26} | {"panel/CLI",9} | {"per-run ratio",-13} | {"target",-7} |");
        text.AppendLine(Invariant, $"|{new string('-', 30)}|{new string('-', 28)}|{new string('-', 28)}|{new string('-', 11)}|{new string('-', 15)}|{new string('-', 9)}|");
        foreach (var stage in PanelPipeline.Stages)
            text.AppendLine(Row(stage, Select(panel, stage), Select(cli, stage), "≤ 1.15"));
        // What the stages' records do not cover: the hook's handling, the queue, the hand-offs between stages, seeing the end.
        text.AppendLine(Row("outside the stages", panel.Select(r => r["pipeline done"] - PanelPipeline.Stages.Sum(s => r[s])).ToList(), [], "-"));
        text.AppendLine(Row("build + push (fetch…push)", Sums(panel, BuildStages), Sums(cli, BuildStages), "≤ 1.10"));
        text.AppendLine(Row("whole: push → last replica", Select(panel, "total"), Select(cli, "total"), "-"));
        text.AppendLine(Row("whole: push → pipeline done", Select(panel, "pipeline done"), Select(cli, "total"), "-"));
        text.AppendLine();
        text.AppendLine(Invariant, $"| {"git-pull path (slowest node)",-28} | {"s median (min–max)",-26} |");
        text.AppendLine(Invariant, $"|{new string('-', 30)}|{new string('-', 28)}|");
        foreach (var stage in new[] { "pull", "reload", "served", "total" })
            text.AppendLine(Invariant, $"| {(stage == "total" ? "whole: commit pushed → served" : stage),-28} | {Spread(Select(gitPull, stage)),-26} |");
        text.AppendLine();
        text.AppendLine(Invariant, $"| {"panel records",-28} | {"s median (min–max)",-26} |");
        text.AppendLine(Invariant, $"|{new string('-', 30)}|{new string('-', 28)}|");
        foreach (var record in new[] { "queued", "build record", "build stage", "release stage", "deployment record", "deploy stage", "pipeline record" })
            text.AppendLine(Invariant, $"| {record,-28} | {Spread(Select(panel, record)),-26} |");
        var ratios = panel.Zip(gitPull, (p, g) => p["total"] / g["total"]).ToList();
        text.AppendLine();
        if (ratios.Count > 0) text.AppendLine(Invariant, $"panel whole pipeline / git-pull path: median {Median(Select(panel, "total")) / Median(Select(gitPull, "total")):0.00}, " +
            $"per run {ratios.Min():0.00}–{ratios.Max():0.00} (target ≤ 3)");
        return text.ToString();
    }

    private static readonly string[] BuildStages = ["fetch", "context", "build", "push"];

    private static string Row(string name, List<double> p, List<double> c, string target)
    {
        var hasCli = c.Count > 0 && p.Count > 0;
        var ratio = hasCli ? (Median(p) / Median(c)).ToString("0.00", Invariant) : "-";
        var perRun = hasCli ? p.Zip(c, (a, b) => a / b).ToList() : [];
        var spread = perRun.Count > 0 ? $"{perRun.Min():0.00}–{perRun.Max():0.00}" : "-";
        return string.Create(Invariant, $"| {name,-28} | {Spread(p),-26} | {(c.Count > 0 ? Spread(c) : "- (no CLI step)"),-26} | {ratio,9} | {spread,-13} | {(hasCli ? target : "-"),-7} |");
    }

    private static List<double> Select(IReadOnlyList<StageTimes> runs, string stage) => runs.Where(r => r.ContainsKey(stage)).Select(r => r[stage]).ToList();

    private static List<double> Sums(IReadOnlyList<StageTimes> runs, string[] stages) => runs.Select(r => stages.Sum(s => r.GetValueOrDefault(s))).ToList();

    public static string Spread(List<double> values) =>
        values.Count == 0 ? "-" : string.Create(Invariant, $"{Median(values),6:0.000} ({values.Min():0.000}–{values.Max():0.000})");

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
