using System.Globalization;

namespace ControlPanel.Bench;

/// <summary>Join latencies of one observer: registration sent → node first seen, per node.</summary>
public sealed class Latencies(string observer, IReadOnlyDictionary<string, DateTimeOffset> registered, IReadOnlyDictionary<string, DateTimeOffset> seen)
{
    public string Observer { get; } = observer;

    public List<double> Ms { get; } = registered.Where(r => seen.ContainsKey(r.Key))
        .Select(r => (seen[r.Key] - r.Value).TotalMilliseconds).Order().ToList();

    public int Missing { get; } = registered.Keys.Count(k => !seen.ContainsKey(k));

    /// <summary>Nearest-rank percentile; NaN without samples.</summary>
    public double Percentile(double p) => Ms.Count == 0 ? double.NaN : Ms[Math.Clamp((int)Math.Ceiling(p / 100 * Ms.Count) - 1, 0, Ms.Count - 1)];

    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"  {Observer,-34} p50 {Percentile(50),8:0.0} ms   p99 {Percentile(99),8:0.0} ms   max {Percentile(100),8:0.0} ms   seen {Ms.Count}/{Ms.Count + Missing}");

    public static string Ratio(Latencies panel, Latencies baseline) => string.Create(CultureInfo.InvariantCulture,
        $"  {panel.Observer} / {baseline.Observer}: p50 ×{panel.Percentile(50) / baseline.Percentile(50):0.0}, p99 ×{panel.Percentile(99) / baseline.Percentile(99):0.0}");
}
