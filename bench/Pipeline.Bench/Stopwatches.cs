using System.Diagnostics;

namespace ControlPanel.Bench;

/// <summary>One round of one path: seconds per stage, by stage name.</summary>
public sealed class StageTimes : Dictionary<string, double>
{
    /// <summary>Runs <paramref name="step"/> and adds its duration to <paramref name="stage"/>.</summary>
    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> step)
    {
        var clock = Stopwatch.StartNew();
        var result = await step();
        this[stage] = clock.Elapsed.TotalSeconds;
        return result;
    }

    public async Task TimeAsync(string stage, Func<Task> step) => await TimeAsync(stage, async () => { await step(); return 0; });
}
