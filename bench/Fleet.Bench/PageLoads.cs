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
    /// The browser's paint time of the first row the circuit rendered: the interactive render replaces the prerendered
    /// rows, so its rows are new elements and reported again. Read from the page's own clock, as a check on the polled
    /// time, whose round trips queue behind the page's scripts.
    /// </summary>
    public const string InteractiveRowPaint = """
        () => new Promise(done => new PerformanceObserver(list => {
            const row = list.getEntries().find(e => e.identifier === 'container-row' && e.element && e.element.closest('[data-interactive=true]'));
            if (row) done(row.renderTime);
        }).observe({ type: 'element', buffered: true }))
        """;

    /// <summary>
    /// Cold (<paramref name="reload"/> false): each load comes from about:blank, as a page opened from another site; the
    /// panel's Cross-Origin-Opener-Policy then makes Chromium start a new renderer process for it (the floor page sends
    /// the same header). Reload: the browser's reload of the open page, as a person pressing F5 on it.
    /// </summary>
    public async Task<List<double>> FirstRowPaintAsync(string url, bool reload, int loads, Func<IPage, Stopwatch, bool, Task>? afterPaint = null)
    {
        var samples = new List<double>();
        await page.GotoAsync("about:blank");
        for (var i = 0; i < loads + 1; i++)
        {
            var clock = Stopwatch.StartNew();
            if (reload && i > 0)
            {
                await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.Commit });
            }
            else
            {
                if (i > 0) await page.GotoAsync("about:blank");
                clock.Restart();
                await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            }
            var painted = await page.EvaluateAsync<double>(FirstRowPaint);
            if (afterPaint is not null) await afterPaint(page, clock, i > 0);
            if (i > 0) samples.Add(painted); // the first load warms the server's render path and the browser's cache
        }
        return samples;
    }
}
