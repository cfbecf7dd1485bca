using System.Globalization;

namespace ControlPanel.Web.Components.Resources;

/// <summary>Readable numbers for resource use: binary units for sizes and rates, one decimal where it helps.</summary>
public static class ResourceFormat
{
    private static readonly string[] SizeUnits = ["B", "KiB", "MiB", "GiB", "TiB"];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"0 B", "512 B", "1.5 KiB", "120 MiB", "3.2 GiB": three significant digits at most.</summary>
    public static string Bytes(double bytes)
    {
        if (double.IsNaN(bytes) || bytes <= 0) return "0 B";
        var unit = 0;
        while (bytes >= 1024 && unit < SizeUnits.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        var digits = unit == 0 || bytes >= 100 ? "0" : bytes >= 10 ? "0.#" : "0.##";
        return bytes.ToString(digits, Invariant) + " " + SizeUnits[unit];
    }

    /// <summary>A rate in bytes per second: "0 B/s", "1.2 KiB/s", "3.4 MiB/s".</summary>
    public static string Rate(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";

    /// <summary>"0 %", "0.4 %", "12 %", "250 %" (several cores of a container's limit).</summary>
    public static string Percent(double percent) =>
        double.IsNaN(percent) || percent <= 0 ? "0 %"
        : (percent < 10 ? percent.ToString("0.#", Invariant) : percent.ToString("0", Invariant)) + " %";

    /// <summary>Memory used with its limit when there is one: "120 MiB of 256 MiB (47 %)".</summary>
    public static string Memory(long usedBytes, long? limitBytes) =>
        limitBytes is { } limit && limit > 0
            ? $"{Bytes(usedBytes)} of {Bytes(limit)} ({Percent(100.0 * usedBytes / limit)})"
            : Bytes(usedBytes);

    /// <summary>An axis label in MiB, without decimals beyond what a chart's tick needs.</summary>
    public static string MebibytesAxis(double mebibytes) =>
        mebibytes >= 1024 ? (mebibytes / 1024).ToString("0.#", Invariant) + " GiB" : mebibytes.ToString("0.#", Invariant) + " MiB";

    /// <summary>An axis label for a rate given in KiB/s.</summary>
    public static string KibibytesPerSecondAxis(double kibibytesPerSecond) => Rate(kibibytesPerSecond * 1024);
}
