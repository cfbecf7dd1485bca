using System.Globalization;

namespace ControlPanel.Bench;

/// <summary>
/// The panel and its baseline, measured in pairs in one run: the ratio of each pair (not of the two medians) is what
/// a user feels, and its spread says whether the machine or the panel made a slow run. Load is read before and after.
/// </summary>
public sealed class PairedRuns(string what, double target)
{
    private readonly List<(double Panel, double Baseline)> _pairs = [];
    private readonly string _loadBefore = Load();

    public double Add(double panel, double baseline)
    {
        _pairs.Add((panel, baseline));
        return panel / baseline;
    }

    /// <summary>One line each for the ratios, the medians and the load, e.g. for the benchmark note.</summary>
    public void Print(string unit, string format, bool withLoad = true)
    {
        var ratios = _pairs.Select(p => p.Panel / p.Baseline).Order().ToList();
        var met = ratios.Count(r => r <= target);
        Console.WriteLine($"{what}: ratio per pair min {ratios[0]:0.00}, median {Median(ratios):0.00}, max {ratios[^1]:0.00} " +
            $"(target ≤ {target:0.00}: met in {met}/{ratios.Count} pairs)");
        Console.WriteLine($"  medians: panel {Median(_pairs.Select(p => p.Panel)).ToString(format, CultureInfo.InvariantCulture)} {unit}, " +
            $"baseline {Median(_pairs.Select(p => p.Baseline)).ToString(format, CultureInfo.InvariantCulture)} {unit}");
        if (withLoad) Console.WriteLine($"  load average (1, 5, 15 min): before {_loadBefore}, after {Load()}");
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>What `uptime` prints as the load average; the machine is shared, so a figure means little without it.</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
