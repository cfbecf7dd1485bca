using System.Diagnostics;

namespace ControlPanel.Bench;

/// <summary>
/// The baseline script (docker-stats-loop.sh): what a plain shell loop spends sampling the same containers with
/// <c>docker stats --no-stream</c> every 10 s. Its CPU is the shell's own plus every docker CLI it ran (its cutime/cstime).
/// </summary>
public static class CliStatsLoop
{
    public static async Task<(double CpuSeconds, int Rounds)> RunAsync(IEnumerable<string> endpoints, TimeSpan duration, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.Add(duration).ToUnixTimeSeconds();
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "docker-stats-loop.sh"), deadline.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(endpoints))
            start.ArgumentList.Add(arg);
        using var loop = Process.Start(start)!;
        var output = loop.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = loop.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await loop.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            loop.Kill(entireProcessTree: true);
            throw;
        }
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (loop.ExitCode != 0 || lines.Length < 2) throw new InvalidOperationException($"the docker stats loop failed ({loop.ExitCode}): {await errors}");
        // A docker CLI that failed (an engine refusing) would make the loop look cheaper than it is: show it.
        if ((await errors).Trim() is { Length: > 0 } complaints) Console.WriteLine($"  the loop's docker CLIs said: {complaints}");
        var stat = ProcFs.Fields(lines[^1]);
        var ticks = ProcFs.Long(stat, 14) + ProcFs.Long(stat, 15) + ProcFs.Long(stat, 16) + ProcFs.Long(stat, 17);
        return (ticks / ProcFs.TicksPerSecond, int.Parse(lines[^2], System.Globalization.CultureInfo.InvariantCulture));
    }
}
