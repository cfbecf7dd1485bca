using System.Diagnostics;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.Bench;

/// <summary>
/// 10,000-line bursts every 2 s plus a line every 100 ms with a tab following: the browser's JS heap
/// sampled every 10 s (flat means bounded) and the longest main-thread task (a freeze would show there).
/// </summary>
public static class Bursts
{
    public static async Task RunAsync(IBrowserContext context, string baseUrl, LabContainers lab, int seconds)
    {
        var node = Lab.SharedNodes[2];
        var id = await lab.RunAsync(node, "busybox", "bursts",
            shellCommand: "(while :; do seq 1 10000; sleep 2; done) & while :; do echo tick; usleep 100000; done");
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync("""
            window.__longTasks = [];
            new PerformanceObserver(l => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
            """);
        await page.GotoAsync($"{baseUrl}/logs?c={node.Name}/{id}&tail=0");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var heap = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(10_000);
            heap.Add(await page.EvaluateAsync<double>("() => performance.memory ? performance.memory.usedJSHeapSize / 1048576 : -1"));
        }
        var longTasks = await page.EvaluateAsync<double[]>("() => window.__longTasks.slice()");
        var skipped = await page.Locator("[data-testid=log-view]").GetAttributeAsync("data-skipped");
        var received = await page.Locator("[data-testid=log-view]").GetAttributeAsync("data-received");
        var steady = heap.Skip(Math.Min(3, heap.Count - 1)).ToList(); // after the window has filled
        Console.WriteLine($"bursts: {seconds} s; JS heap MB every 10 s: {string.Join(" ", heap.Select(h => h.ToString("0.0")))}; " +
            $"after the first 30 s min {steady.Min():0.0} / max {steady.Max():0.0} MB; long tasks {longTasks.Length}, longest {(longTasks.Length == 0 ? 0 : longTasks.Max()):0} ms; " +
            $"received {received}, skipped {skipped}");
        await page.CloseAsync();
    }
}
