using System.Diagnostics;
using Microsoft.Playwright;

namespace ControlPanel.Bench;

/// <summary>
/// Loads a page again and again in one open tab and reads the browser's own paint time (Element Timing API) of its
/// first container row, from navigation start. One tab, as a person reloading or coming back: a new tab per load
/// measured Chromium's own new-tab work too (headless Chromium builds its omnibox WebUI for every tab).
/// </summary>
public sealed class PageLoads(IPage page)
{
    public const string FirstRowPaint = """
        () => new Promise(done => new PerformanceObserver(list => {
            const row = list.getEntries().find(e => e.identifier === 'container-row');
            if (row) done(row.renderTime);
        }).observe({ type: 'element', buffered: true }))
        """;

    /// <summary>
    /// <paramref name="comingFrom"/> is what the tab shows before each load. A page of the same origin is a reload,
    /// or a person already in the panel opening it by its address. about:blank is a cold load: the panel's
    /// Cross-Origin-Opener-Policy then makes Chromium start a new renderer process for the page, as it does for any
    /// page opened from another site.
    /// </summary>
    public async Task<List<double>> FirstRowPaintAsync(string url, string comingFrom, int loads, Func<IPage, Stopwatch, bool, Task>? afterPaint = null)
    {
        var samples = new List<double>();
        for (var i = 0; i < loads + 1; i++)
        {
            await page.GotoAsync(comingFrom);
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var painted = await page.EvaluateAsync<double>(FirstRowPaint);
            if (afterPaint is not null) await afterPaint(page, clock, i > 0);
            if (i > 0) samples.Add(painted); // the first load warms the server's render path and the browser's cache
        }
        return samples;
    }
}
