using System.Globalization;

namespace ControlPanel.Bench;

/// <summary>
/// Stats reads the panel's engines answered, from its own metrics (<c>/metrics</c>, the engine-call histogram's count
/// for <c>containers.stats</c> with outcome ok, summed over nodes). Unlike <see cref="SampledReadings"/>, which polls
/// the API every 5 s and so cannot see more than one reading per container per poll, this counts every read.
/// </summary>
public sealed class EngineStatsReads(HttpClient api)
{
    private const string Series = "controlpanel_engine_call_duration_seconds_count{";

    public async Task<long> CountAsync()
    {
        var text = await api.GetStringAsync("/metrics");
        long total = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(Series, StringComparison.Ordinal) || !line.Contains("operation=\"containers.stats\"", StringComparison.Ordinal)
                || !line.Contains("outcome=\"ok\"", StringComparison.Ordinal)) continue;
            // "name{labels} value [timestamp]"
            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            total += (long)double.Parse(value, CultureInfo.InvariantCulture);
        }
        return total;
    }
}
