using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>Hostile container output in the log viewer: it shows as text, and nothing runs.</summary>
public sealed class LogViewerEndToEndTests : BrowserTestBase
{
    private const string Hostile = """
        printf '<img src=x onerror=alert(1)>\n'
        printf '</span><script>alert(1)</script>\n'
        printf '\033]8;;javascript:alert(1)\007click me\033]8;;\007\n'
        printf 'bad \303\050 utf8\n'
        printf '\033[31mred text\033[0m and \033[2Kerased\n'
        head -c 1048576 /dev/zero | tr '\0' 'y'; echo
        printf 'the end\n'
        exec sleep 3600
        """;

    [Fact]
    public async Task HostileOutput_ShowsAsText_AndNoScriptRuns()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "busybox", "hostile", shellCommand: Hostile);
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        var dialogs = 0;
        page.Dialog += async (_, d) => { dialogs++; await d.DismissAsync(); };

        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}");
        var view = page.Locator("[data-testid=log-view]");
        await Assertions.Expect(view).ToContainTextAsync("the end", new() { Timeout = 20_000 });

        await Assertions.Expect(view).ToContainTextAsync("<img src=x onerror=alert(1)>");
        await Assertions.Expect(view).ToContainTextAsync("</span><script>alert(1)</script>");
        await Assertions.Expect(view).ToContainTextAsync("click me");
        await Assertions.Expect(view).ToContainTextAsync("bad \uFFFD( utf8");
        await Assertions.Expect(view).ToContainTextAsync("red text and erased");
        Assert.Equal(0, await view.Locator("img, script, iframe, a:not(.ts)").CountAsync());
        var lineLinks = await view.Locator("a.ts").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        // Seven lines were written, each asserted above; every line shown carries exactly one link: the panel's own.
        Assert.True(lineLinks.Length >= 7, $"only {lineLinks.Length} line links");
        Assert.Equal(await view.Locator("[data-testid=log-line]").CountAsync(), lineLinks.Length);
        Assert.All(lineLinks, href => Assert.StartsWith("/logs?c=", href, StringComparison.Ordinal)); // only the panel's own line links
        Assert.DoesNotContain("javascript:", await view.InnerHTMLAsync(), StringComparison.Ordinal);
        Assert.Equal("fg-1", await view.Locator("span.fg-1").First.GetAttributeAsync("class"));

        // The 1 MB line is cut in the view, with a way to see all of it.
        var more = view.Locator("button.more");
        await Assertions.Expect(more).ToContainTextAsync("more characters: show all");
        var longLine = view.Locator("[data-testid=log-line]").Filter(new() { Has = page.Locator("button.more") });
        Assert.True((await longLine.TextContentAsync())!.Length < 3_000);
        await more.ClickAsync();
        await Assertions.Expect(view.Locator("button.more")).ToHaveCountAsync(0);
        Assert.True((await view.TextContentAsync())!.Length > 1_000_000);

        // A dialog of our own, after everything above: the handler sees it, so it would have seen any the content raised before it.
        await page.EvaluateAsync("() => alert('probe')");
        Assert.Equal(1, dialogs);
    }

    [Fact]
    public async Task BadRegex_ShowsTheErrorAtTheSearchBox_AndUnknownContainerSaysSo()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "logger", "search", new Dictionary<string, string> { ["PREFIX"] = "alpha", ["RATE"] = "20", ["COUNT"] = "20" });
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var view = page.Locator("[data-testid=log-view]");
        await Assertions.Expect(view.Locator("[data-testid=log-line]")).ToHaveCountAsync(20, new() { Timeout = 15_000 });

        await page.GetByLabel("Only matching lines").CheckAsync();
        await page.Locator("input[data-testid=log-search], [data-testid=log-search] input").First.FillAsync("alpha 1[0-9]");
        await page.GetByLabel("Regex").CheckAsync();
        await Assertions.Expect(view.Locator("[data-testid=log-line]")).ToHaveCountAsync(10);
        await Assertions.Expect(view.Locator("mark").First).ToHaveTextAsync("alpha 10");

        await page.Locator("input[data-testid=log-search], [data-testid=log-search] input").First.FillAsync("alpha (");
        await Assertions.Expect(page.GetByText("Not a valid regular expression")).ToBeVisibleAsync();

        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/no-such-container");
        await Assertions.Expect(page.Locator("[data-testid=log-error]")).ToContainTextAsync("no-such-container");
    }

    [Fact]
    public async Task LinkToALine_OpensTheViewAtThatLine_Marked()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "logger", "linked", new Dictionary<string, string> { ["PREFIX"] = "row", ["RATE"] = "5", ["COUNT"] = "30" });
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}");
        var lines = page.Locator("[data-testid=log-line]");
        await Assertions.Expect(lines).ToHaveCountAsync(30, new() { Timeout = 20_000 });
        var target = lines.Filter(new() { HasText = "row 25 " });
        var href = await target.Locator("a.ts").GetAttributeAsync("href");
        Assert.Contains("&at=", href, StringComparison.Ordinal);

        await page.GotoAsync(BaseUrl + href);

        await Assertions.Expect(page.Locator("[data-testid=log-line].linked")).ToContainTextAsync("row 25 ", new() { Timeout = 15_000 });
        // Started one second before the linked line (5 lines a second), not at the beginning of the log.
        await Assertions.Expect(lines.First).Not.ToContainTextAsync("row 1 ");
        Assert.InRange(await lines.CountAsync(), 6, 12);
    }

    [Fact]
    public async Task LoadOlderLines_FetchesWhatCameBeforeTheTail_FromTheEngine()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "logger", "older", new Dictionary<string, string> { ["PREFIX"] = "old", ["RATE"] = "100", ["COUNT"] = "50" });
        await Containers.WaitForLogAsync(node, id, "old 50 ", TimeSpan.FromSeconds(20)); // all 50 written
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}&tail=10");
        var lines = page.Locator("[data-testid=log-line]");
        await Assertions.Expect(lines).ToHaveCountAsync(10, new() { Timeout = 15_000 });
        await Assertions.Expect(lines.First).ToContainTextAsync("old 41 ");

        await page.Locator("[data-action=load-older]").ClickAsync();

        await Assertions.Expect(lines).ToHaveCountAsync(50);
        await Assertions.Expect(lines.First).ToContainTextAsync("old 1 ");
    }

    [Fact]
    public async Task FullLogSearch_FindsLinesOutsideTheWindow_AndRefusesABackwardsRange()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "logger", "engine-search", new Dictionary<string, string> { ["PREFIX"] = "beta", ["RATE"] = "100", ["COUNT"] = "50" });
        await Containers.WaitForLogAsync(node, id, "beta 50 ", TimeSpan.FromSeconds(20)); // all 50 written
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}&tail=5");
        await Assertions.Expect(page.Locator("[data-testid=log-view] [data-testid=log-line]")).ToHaveCountAsync(5, new() { Timeout = 15_000 });

        await page.GetByLabel("Regex").CheckAsync();
        await page.Locator("input[data-testid=log-search], [data-testid=log-search] input").First.FillAsync("beta 1[0-9] ");
        // The search box applies its text after a 150 ms pause in typing. To see that it has, show only matching lines:
        // none of the five in the window (beta 46-50) matches, so the window empties once the search is set.
        // (The full-log search below reads the search text, not this filter.)
        await page.GetByLabel("Only matching lines").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=log-view] [data-testid=log-line]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await page.Locator("[data-action=search-engine]").ClickAsync();

        var results = page.Locator("[data-testid=engine-results] [data-testid=engine-line]");
        await Assertions.Expect(results).ToHaveCountAsync(10);
        Assert.All(await results.AllTextContentsAsync(), t => Assert.Matches("beta 1[0-9] ", t));
        await Assertions.Expect(results.First).ToContainTextAsync("beta 10 ");
        // Each result names its source, as the header does.
        var source = await page.Locator("[data-testid=logs-header] [data-testid=log-source]").TextContentAsync();
        Assert.StartsWith($"{node.Name}/", source, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Repeat(source, 10), await results.Locator("[data-testid=line-source]").AllTextContentsAsync());

        await page.Locator("input[data-testid=range-since], [data-testid=range-since] input").First.FillAsync("2026-11-27T00:00:00Z");
        await page.Locator("input[data-testid=range-until], [data-testid=range-until] input").First.FillAsync("2026-11-26T00:00:00Z");
        await page.Locator("[data-action=search-engine]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=range-error]")).ToContainTextAsync("'since'");
    }

    [Fact]
    public async Task ScrollingToTheTop_LoadsOlderLines()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "logger", "scroll", new Dictionary<string, string> { ["PREFIX"] = "s", ["RATE"] = "200", ["COUNT"] = "300" });
        await Containers.WaitForLogAsync(node, id, "s 300 ", TimeSpan.FromSeconds(20)); // all 300 written
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}&tail=60");
        var view = page.Locator("[data-testid=log-view]");
        await Assertions.Expect(view).ToHaveAttributeAsync("data-received", "60", new() { Timeout = 15_000 });
        await Assertions.Expect(view.Locator("[data-testid=log-line]").Last).ToContainTextAsync("s 300 ", new() { Timeout = 10_000 });
        // The view pins itself to its newest line with scrolls of its own; the reader's scroll below must come after them,
        // so wait until the view sits at its end with nothing left to move it (unchanged over two frames, three checks running).
        var settledChecks = 0;
        await LabContainers.WaitUntilAsync(async () => (settledChecks = (await view.EvaluateAsync<bool>(SettledAtTheEnd)) ? settledChecks + 1 : 0) >= 3,
            TimeSpan.FromSeconds(10), "the view to settle at its newest line");

        await view.EvaluateAsync("v => v.scrollTop = 0");

        // 240 older lines arrive from the engine, ahead of the 60 held; the first line is now the log's first.
        await Assertions.Expect(view.Locator("[data-testid=log-line]").First).Not.ToContainTextAsync("s 241 ", new() { Timeout = 10_000 });
        await view.EvaluateAsync("v => v.scrollTop = 0");
        await Assertions.Expect(view.Locator("[data-testid=log-line]").First).ToContainTextAsync("s 1 ", new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task DownloadVisible_SavesExactlyTheFilteredLines_AndCopyPutsOneLineOnTheClipboard()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "logger", "saved", new Dictionary<string, string> { ["PREFIX"] = "keep", ["RATE"] = "50", ["COUNT"] = "30" });
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = BaseUrl });
        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var lines = page.Locator("[data-testid=log-line]");
        await Assertions.Expect(lines).ToHaveCountAsync(30, new() { Timeout = 15_000 });

        await page.GetByLabel("Only matching lines").CheckAsync();
        await page.Locator("input[data-testid=log-search], [data-testid=log-search] input").First.FillAsync("keep 2");
        await Assertions.Expect(lines).ToHaveCountAsync(11); // keep 2, keep 20..29
        await page.Locator("[data-testid=log-menu] button").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=download-visible]").ClickAsync());
        var saved = await File.ReadAllLinesAsync((await download.PathAsync())!);

        Assert.Equal(11, saved.Length);
        // Each line names its source: the node and the container's (short) name.
        Assert.All(saved, line => Assert.Matches(@"^\d{4}-\d\d-\d\dT[0-9:.]+Z " + node.Name + @"/\S+ stdout keep 2\d? ", line));

        var row = lines.Filter(new() { HasText = "keep 25 " });
        await row.HoverAsync();
        await row.Locator("button.copy").ClickAsync();
        // The copy goes through the circuit to the browser's clipboard: wait for it to land.
        var copied = "";
        await LabContainers.WaitUntilAsync(async () => (copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).Length > 0,
            TimeSpan.FromSeconds(10), "the line on the clipboard");
        Assert.StartsWith("keep 25 ", copied, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", copied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowingFromTheLiveEnd_KeepsTheNewestLinesInView_AsTheViewFillsUp()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "logger", "pinned", new Dictionary<string, string> { ["PREFIX"] = "n", ["RATE"] = "100" });
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/logs?c={node.Name}/{id}&tail=0");
        var view = page.Locator("[data-testid=log-view]");
        var lines = view.Locator("[data-testid=log-line]");
        await Assertions.Expect(lines.First).ToBeVisibleAsync(new() { Timeout = 15_000 });

        async Task<int> NewestShown() => (await lines.Last.TextContentAsync())!.Split(' ').Select(w => int.TryParse(w, out var n) ? n : -1).Max();
        // Well past one screenful (about 40 lines): the view has filled up and scrolls.
        var before = 0;
        await LabContainers.WaitUntilAsync(async () => (before = await NewestShown()) > 150, TimeSpan.FromSeconds(30), "a line past 150 to be shown");
        // Still following: a line 50 further on comes into view without the reader doing anything.
        var after = before;
        await LabContainers.WaitUntilAsync(async () => (after = await NewestShown()) >= before + 50, TimeSpan.FromSeconds(15),
            $"the view to follow from line {before} to line {before + 50}");

        Assert.True(after >= before + 50, $"the view stopped following: {before} → {after}");
        Assert.True(await view.EvaluateAsync<bool>("v => v.scrollTop + v.clientHeight >= v.scrollHeight - 2"), "the view is scrolled to its newest line");
    }

    /// <summary>True when the view is scrolled to its end and stays there, at the same height, over the next two frames.</summary>
    private const string SettledAtTheEnd = """
        v => new Promise(resolve => {
            const atEnd = () => v.scrollTop + v.clientHeight >= v.scrollHeight - 2;
            const height = v.scrollHeight;
            const before = atEnd();
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(before && atEnd() && v.scrollHeight === height)));
        })
        """;
}
