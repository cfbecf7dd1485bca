using System.Diagnostics;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.Bench;

/// <summary>
/// A container writing as fast as it can with a tab following it: long main-thread tasks after the
/// first second, DOM size, the panel's working-set growth, and written = received + skipped.
/// </summary>
public static class Flood
{
    public static async Task RunAsync(IBrowserContext context, string baseUrl, LabContainers lab, int lines, int maxSeconds)
    {
        var node = Lab.SharedNodes[1];
        var id = await lab.RunAsync(node, "busybox", "flood", shellCommand: $"seq 1 {lines}; exec sleep 3600", start: false);
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync("""
            window.__longTasks = [];
            new PerformanceObserver(l => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
              .observe({ type: 'longtask', buffered: true });
            """);
        await page.GotoAsync($"{baseUrl}/logs?c={node.Name}/{id}&tail=0");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        await Task.Delay(1000); // the follower waits for the start, so every line passes through it
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        var started = await page.EvaluateAsync<double>("() => performance.now()");
        var clock = Stopwatch.StartNew();
        await lab.Client(node).Containers.StartContainerAsync(id, new Docker.DotNet.Models.ContainerStartParameters());

        long received = 0, skipped = 0, maxRows = 0, maxNodes = 0, peakWorkingSet = workingSetBefore;
        // Measured until every line has passed (the engine may still be writing at maxSeconds), plus a minute at most.
        while (clock.Elapsed < TimeSpan.FromSeconds(maxSeconds + 60))
        {
            await Task.Delay(1000);
            var view = page.Locator("[data-testid=log-view]");
            received = long.Parse(await view.GetAttributeAsync("data-received") ?? "0");
            skipped = long.Parse(await view.GetAttributeAsync("data-skipped") ?? "0");
            maxRows = Math.Max(maxRows, await page.Locator("[data-testid=log-line]").CountAsync());
            maxNodes = Math.Max(maxNodes, await page.EvaluateAsync<int>("() => document.getElementsByTagName('*').length"));
            process.Refresh();
            peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
            if (received + skipped >= lines) break;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var longTasks = await page.EvaluateAsync<double[]>($"() => window.__longTasks.filter(t => t.start > {started.ToString(System.Globalization.CultureInfo.InvariantCulture)} + 1000).map(t => t.duration)");
        var windowRows = await page.Locator("[data-testid=log-view]").EvaluateAsync<int>("v => v.querySelectorAll('[data-testid=log-line]').length");
        Console.WriteLine($"flood: {lines} lines written in {seconds:0.0} s ({lines / seconds:0} lines/s through the panel's view); received {received} + skipped {skipped} = {received + skipped} " +
            $"({(received + skipped == lines ? "equal to written" : "NOT equal to written")}); long tasks after the first second: {longTasks.Length}, longest {(longTasks.Length == 0 ? 0 : longTasks.Max()):0} ms (target: none over 200 ms); " +
            $"log rows in the DOM at most {maxRows}, elements at most {maxNodes}; panel process working set +{(peakWorkingSet - workingSetBefore) / 1048576.0:0.0} MB at peak (target < 50 MB); rows at the end {windowRows}");
        await page.CloseAsync();
    }
}
