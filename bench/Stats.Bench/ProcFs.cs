using System.Globalization;

namespace ControlPanel.Bench;

/// <summary>CPU time and memory of processes, read from /proc as top and ps do.</summary>
public static class ProcFs
{
    /// <summary>Clock ticks per second of /proc/&lt;pid&gt;/stat's times (USER_HZ: 100 on every Linux the lab runs on).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>utime + stime of the process; null when it is gone.</summary>
    public static double? CpuSeconds(int pid) => Stat(pid) is { } f ? (Long(f, 14) + Long(f, 15)) / TicksPerSecond : null;

    /// <summary>The fields of a stat line, indexed by their numbers in proc(5) (1 = pid, 2 = comm, 3 = state, 14 = utime ...).</summary>
    public static string[]? Stat(int pid)
    {
        try
        {
            return Fields(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string[] Fields(string statLine)
    {
        // comm (field 2) may hold spaces and parentheses: it ends at the last ')'.
        var close = statLine.LastIndexOf(')');
        var rest = statLine[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return ["", statLine[..statLine.IndexOf(' ')], statLine[(statLine.IndexOf('(') + 1)..close], .. rest];
    }

    public static long Long(string[] fields, int number) => long.Parse(fields[number], CultureInfo.InvariantCulture);

    /// <summary>Resident memory (VmRSS) in bytes; 0 when the process is gone.</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Every process now: pid, parent pid and its command line (NUL-separated arguments joined by spaces).</summary>
    public static IEnumerable<(int Pid, int Parent, string CommandLine)> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var stat = Stat(pid);
            string commandLine;
            try
            {
                commandLine = File.ReadAllText($"{dir}/cmdline").Replace('\0', ' ').Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (stat is not null) yield return (pid, (int)Long(stat, 4), commandLine);
        }
    }
}
