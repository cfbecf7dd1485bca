using System.Net;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>What the POST loops saw during one release: requests sent, those that failed (no answer or not 200), and a few of the failures' words.</summary>
public sealed record LoadCount(int Requests, int Failed, IReadOnlyList<string> Samples)
{
    /// <summary>Runs <paramref name="loops"/> loops of POST requests through <paramref name="url"/> while <paramref name="action"/> runs; the load flows before it starts and after it ends.</summary>
    public static async Task<LoadCount> DuringAsync(string url, int loops, Func<Task> action)
    {
        await using var load = PostLoad.Start(url, loops);
        await load.WaitForAnswersAsync(loops);
        await action();
        await load.WaitForAnswersAsync(loops);
        await load.StopAsync();
        var notOk = load.Answers.Where(a => a.Status != HttpStatusCode.OK).Select(a => $"{(int)a.Status} {OneLine(a.Body)}").ToList();
        return new LoadCount(load.Answered + load.Failures.Count, load.Failures.Count + notOk.Count, load.Failures.Concat(notOk).Take(3).ToList());
    }

    // nginx's error pages span lines; the table wants one.
    private static string OneLine(string body)
    {
        var line = string.Join(' ', body.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return line[..Math.Min(60, line.Length)];
    }
}

/// <summary>One measured case of one run: the panel's side and, where the baseline does the same, the script's.</summary>
/// <param name="ScriptSeconds">The baseline script's duration; null where it has no counterpart.</param>
/// <param name="NotMeasured">Why the case could not be measured (the panel lacks its endpoint).</param>
public sealed record TrafficCase(int Run, string Case, int Ms, LoadCount? Panel, PanelOutcome? Outcome, LoadCount? Script, double? ScriptSeconds, string? NotMeasured = null)
{
    public double? PanelSeconds => Outcome?.Took.TotalSeconds;
    public double? Ratio => PanelSeconds / ScriptSeconds;
    public double? LongestDrain => Outcome is { Drains.Count: > 0 } o ? o.Drains.Max(d => d.Seconds) : null;
    public int IdleDrains => Outcome?.Drains.Count(d => d.Detail.StartsWith("idle after", StringComparison.Ordinal)) ?? 0;
}
