using ControlPanel.Core.Resources;
using MudBlazor;
using MudBlazor.Charts;

namespace ControlPanel.Web.Components.Resources;

/// <summary>One chart of <see cref="ResourceCharts"/>: its series in the units shown on its axis.</summary>
public sealed record ChartView(string Key, string Title, List<ChartSeries<double>> Series, TimeSeriesChartOptions Options);

/// <summary>Turns readings into the five charts: CPU, memory (with the limit), network, block I/O and PIDs.</summary>
public static class ResourceChartViews
{
    private const double MiB = 1024 * 1024;
    private const double KiB = 1024;

    public static IReadOnlyList<ChartView> Build(IReadOnlyList<ResourceSample> samples, HistoryRange range)
    {
        var cpu = new List<ChartSeries<double>> { Line("Of the host", samples, s => s.CpuPercentOfHost) };
        if (samples.Any(s => s.CpuPercentOfLimit is not null)) cpu.Add(Line("Of its limit", samples, s => s.CpuPercentOfLimit ?? 0));

        var memory = new List<ChartSeries<double>> { Line("Used", samples, s => s.MemoryBytes / MiB) };
        if (samples.Any(s => s.MemoryLimitBytes is > 0)) memory.Add(Line("Limit", samples, s => (s.MemoryLimitBytes ?? 0) / MiB));

        return
        [
            new("cpu", "CPU %", cpu, Options(range, ResourceFormat.Percent)),
            new("memory", "Memory", memory, Options(range, ResourceFormat.MebibytesAxis)),
            new("network", "Network", [Line("In", samples, s => s.NetworkRxBytesPerSecond / KiB), Line("Out", samples, s => s.NetworkTxBytesPerSecond / KiB)],
                Options(range, ResourceFormat.KibibytesPerSecondAxis)),
            new("block-io", "Block I/O", [Line("Read", samples, s => s.BlockReadBytesPerSecond / KiB), Line("Write", samples, s => s.BlockWriteBytesPerSecond / KiB)],
                Options(range, ResourceFormat.KibibytesPerSecondAxis)),
            new("pids", "PIDs", [Line("PIDs", samples, s => s.Pids)], Options(range, v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture))),
        ];
    }

    private static ChartSeries<double> Line(string name, IReadOnlyList<ResourceSample> samples, Func<ResourceSample, double> value) => new()
    {
        Name = name,
        Data = samples.Select(s => new TimeValue<double>(s.At.UtcDateTime, value(s))).ToArray(),
    };

    private static TimeSeriesChartOptions Options(HistoryRange range, Func<double, string> axis) => new()
    {
        YAxisToStringFunc = axis,
        YAxisRequireZeroPoint = true,
        MaxNumYAxisTicks = 4,
        ShowDataMarkers = false,
        LineStrokeWidth = 2,
        XAxisLines = false,
        TimeLabelFormat = "HH:mm",
        TooltipTimeLabelFormat = "HH:mm:ss",
        TimeLabelSpacing = range switch
        {
            HistoryRange.OneHour => TimeSpan.FromMinutes(15),
            HistoryRange.OneDay => TimeSpan.FromHours(4),
            _ => TimeSpan.FromMinutes(5),
        },
    };
}
