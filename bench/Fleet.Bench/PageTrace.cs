using System.Text.Json;
using Microsoft.Playwright;

namespace ControlPanel.Bench;

/// <summary>
/// Records a Chrome trace of one page load (BENCH_TRACE=file.json) to see where the browser spends its time; open it
/// in Perfetto or chrome://tracing. Playwright's .NET API has no tracing call for Chromium, so this speaks CDP.
/// </summary>
public static class PageTrace
{
    public static async Task RecordAsync(IBrowserContext context, string url, string waitExpression, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("about:blank");
        await Task.Delay(1000); // the new tab's own start-up work is over
        var cdp = await context.NewCDPSessionAsync(page);
        var events = new List<JsonElement>();
        var complete = new TaskCompletionSource();
        cdp.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            if (data is { } d)
                lock (events) events.AddRange(d.GetProperty("value").EnumerateArray().Select(e => e.Clone()));
        };
        cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await cdp.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["categories"] = "devtools.timeline,disabled-by-default-devtools.timeline,blink,loading,v8.execute,blink.user_timing,toplevel",
            ["transferMode"] = "ReportEvents",
        });
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.EvaluateAsync<double>(waitExpression);
        await cdp.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { traceEvents = events }));
        await page.CloseAsync();
        Console.WriteLine($"trace of one load of {url}: {events.Count} events in {path}");
    }
}
