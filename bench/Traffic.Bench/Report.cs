using System.Globalization;
using System.Text;

namespace ControlPanel.Bench;

/// <summary>The printed table of a run, and the summary lines against the issue's targets.</summary>
public static class Report
{
    public static string Table(IReadOnlyList<TrafficCase> cases, int drainSeconds)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {"case",-52} | {"ms",4} | {"requests",8} | {"failed",6} | {"script req/failed",17} | {"panel s",7} | {"script s",8} | {"ratio",5} | {"drains (n, idle, longest s)",-30} | {"status",-10} |");
        text.AppendLine($"|{new string('-', 54)}|{new string('-', 6)}|{new string('-', 10)}|{new string('-', 8)}|{new string('-', 19)}|{new string('-', 9)}|{new string('-', 10)}|{new string('-', 7)}|{new string('-', 32)}|{new string('-', 12)}|");
        foreach (var c in cases)
        {
            if (c.NotMeasured is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Case,-52} | {c.Ms,4} | {"-",8} | {"-",6} | {"-",17} | {"-",7} | {"-",8} | {"-",5} | {"-",-30} | {"not measured: " + c.NotMeasured,-10} |");
                continue;
            }
            var script = c.Script is { } s ? $"{s.Requests}/{s.Failed}" : "-";
            var drains = c.Outcome is { Drains.Count: > 0 } o
                ? $"{o.Drains.Count}, {c.IdleDrains} idle, {c.LongestDrain:0.00}{(c.LongestDrain < drainSeconds ? $" < {drainSeconds}" : "")}"
                : "none";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Case,-52} | {c.Ms,4} | {c.Panel!.Requests,8} | {c.Panel.Failed,6} | {script,17} | {c.PanelSeconds,7:0.00} | {Num(c.ScriptSeconds),8} | {Num(c.Ratio),5} | {drains,-30} | {c.Outcome!.Status,-10} |");
        }
        return text.ToString();
    }

    /// <summary>The targets: no failed request, duration ≤ 1.15 × the script, every drain shorter than the fixed wait with short requests.</summary>
    public static string Verdict(IReadOnlyList<TrafficCase> cases, int drainSeconds, int shortMs)
    {
        var measured = cases.Where(c => c.NotMeasured is null && !c.Case.StartsWith("(d)", StringComparison.Ordinal)).ToList();
        var failed = measured.Sum(c => c.Panel!.Failed);
        var ratios = measured.Where(c => c.Ratio is not null).Select(c => $"{c.Case[..3]} {c.Ms} ms {c.Ratio:0.00}");
        var shortDrains = measured.Where(c => c.Ms == shortMs).SelectMany(c => c.Outcome!.Drains).ToList();
        var seed = cases.Where(c => c.Case.StartsWith("(d)", StringComparison.Ordinal) && c.Panel is not null).Select(c => $"{c.Ms} ms {c.Panel!.Failed} of {c.Panel.Requests}");
        return string.Join(Environment.NewLine,
            $"failed requests, panel cases (a)-(c): {failed} (target 0)",
            $"duration ratio panel/script: {string.Join(", ", ratios)} (target ≤ 1.15)",
            $"drains with {shortMs} ms requests: {shortDrains.Count(d => d.Seconds < drainSeconds)} of {shortDrains.Count} shorter than the script's fixed {drainSeconds} s wait" +
                (shortDrains.Count > 0 ? $" (longest {shortDrains.Max(d => d.Seconds):0.00} s)" : ""),
            $"seed (SIGTERM, no route) failed requests: {string.Join(", ", seed)}");
    }

    public static string Failures(IReadOnlyList<TrafficCase> cases) =>
        string.Join(Environment.NewLine, cases.SelectMany(c => new[] { ("panel", c.Panel), ("script", c.Script) }
            .Where(x => x.Item2 is { Failed: > 0 })
            .Select(x => $"  {c.Case} {c.Ms} ms, {x.Item1}: {string.Join(" | ", x.Item2!.Samples)}")));

    private static string Num(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
