using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>What on-call staff do at 3 a.m.: open the containers page, find the container, click, see it change.</summary>
public sealed class ContainersPageEndToEndTests : BrowserTestBase
{
    [Fact]
    public async Task StopStartRestart_ByClicking_ShowsEachNewStateWithoutReloading()
    {
        var node = Lab.SharedNodes[0];
        var name = $"{Containers.RunId}-api";
        var id = await Containers.RunAsync(node, "sigquit", "api", stopSignal: "SIGQUIT");
        var startedBefore = (await Containers.InspectAsync(node, id)).State!.StartedAt;

        var page = await SignInAsync(await UserAsync(Core.Security.Role.Operator));
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        await page.Locator("input[data-testid=filter-text]").FillAsync(Containers.RunId);
        var row = page.Locator($"tr[data-container='{name}']");
        var state = row.Locator("[data-testid=state]");
        await Assertions.Expect(state).ToHaveTextAsync("running", new() { Timeout = 15_000 });
        // The filter applied: the row no longer moves under the pointer (it was found before other rows went away).
        await Assertions.Expect(page.Locator("tr[data-container]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        // Each action's own report first (done, or the engine's refusal, which then shows in the failure), then the row.
        await row.Locator("[data-action=stop]").ClickAsync();
        await ExpectReportAsync(page, $"Stop {name} on {node.Name}:");
        await Assertions.Expect(state).ToHaveTextAsync("exited", new() { Timeout = 15_000 });
        Assert.False((await Containers.InspectAsync(node, id)).State!.Running);

        await row.Locator("[data-action=start]").ClickAsync();
        await ExpectReportAsync(page, $"Start {name} on {node.Name}:");
        await Assertions.Expect(state).ToHaveTextAsync("running", new() { Timeout = 15_000 });

        await row.Locator("[data-action=restart]").ClickAsync();
        await ExpectReportAsync(page, $"Restart {name} on {node.Name}:");
        await Assertions.Expect(state).ToHaveTextAsync("running");

        var after = (await Containers.InspectAsync(node, id)).State!;
        Assert.True(after.Running);
        Assert.NotEqual(startedBefore, after.StartedAt);
        Assert.Equal(0, navigations); // every change after sign-in arrived live, without a reload
    }

    [Fact]
    public async Task ScrollingPastTheFirstScreenful_ShowsEveryContainerOnce_InOrder()
    {
        var node = Lab.SharedNodes[0];
        const int count = 45; // beyond the 25 plain rows of the first screenful, into the virtualized ones
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 6 },
            async (i, _) => await Containers.RunAsync(node, "sigquit", $"row-{i:D2}", stopSignal: "SIGQUIT", start: false));

        var page = await SignInAsync(await UserAsync(Core.Security.Role.Viewer));
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.Locator("input[data-testid=filter-text]").FillAsync(Containers.RunId);
        await page.Locator("th", new() { HasText = "Name" }).ClickAsync(); // by name: row-01 … row-45
        // Filtered and sorted before reading: other tests' containers share this node.
        await Assertions.Expect(page.Locator("[data-testid=count-total]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{count} of "), new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("tr[data-container]").First).ToHaveAttributeAsync("data-container", $"{Containers.RunId}-row-01", new() { Timeout = 15_000 });
        var seen = new List<string>();
        for (var i = 0; i < 20 && seen.Distinct().Count() < count; i++)
        {
            seen.AddRange(await page.Locator("tr[data-container]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-container'))"));
            await page.Mouse.WheelAsync(0, 600);
            await page.WaitForTimeoutAsync(200);
        }
        var inDom = await page.Locator("tr[data-container]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-container'))");

        Assert.Equal(Enumerable.Range(1, count).Select(i => $"{Containers.RunId}-row-{i:D2}"), seen.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(inDom.Distinct().Count(), inDom.Length); // no row drawn twice (plain and virtualized)
        Assert.Equal(inDom.Order(StringComparer.Ordinal), inDom);
    }

    /// <summary>The action's snackbar says it is done; a loaded engine may take a while, and a failure names its reason.</summary>
    private static async Task ExpectReportAsync(IPage page, string prefix)
    {
        var report = page.GetByText(prefix).First;
        await report.WaitForAsync(new() { Timeout = 45_000 });
        Assert.Contains(prefix + " done", await report.TextContentAsync() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartedFromTheCommandLine_ShowsTheNewStateOnAnOpenPage()
    {
        var node = Lab.SharedNodes[2];
        var name = $"{Containers.RunId}-cli";
        var id = await Containers.RunAsync(node, "sigquit", "cli", stopSignal: "SIGQUIT");

        var page = await SignInAsync(await UserAsync(Core.Security.Role.Operator));
        await page.Locator("input[data-testid=filter-text]").FillAsync(Containers.RunId);
        var state = page.Locator($"tr[data-container='{name}'] [data-testid=state]");
        await Assertions.Expect(state).ToHaveTextAsync("running", new() { Timeout = 15_000 });

        await Containers.Client(node).Containers.StopContainerAsync(id, new global::Docker.DotNet.Models.ContainerStopParameters());

        await Assertions.Expect(state).ToHaveTextAsync("exited", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task ContainerPage_ShowsAStopFromTheCommandLine_WithoutReloading()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "sigquit", "detail", stopSignal: "SIGQUIT");
        var page = await SignInAsync(await UserAsync(Core.Security.Role.Viewer));
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        await page.GotoAsync($"{BaseUrl}/nodes/{node.Name}/containers/{id}");
        await page.Locator("[data-circuit=on]").WaitForAsync(new() { Timeout = 15_000 });
        var state = page.Locator("[data-testid=state]");
        await Assertions.Expect(state).ToHaveTextAsync("running", new() { Timeout = 15_000 });
        navigations = 0;

        await Containers.Client(node).Containers.StopContainerAsync(id, new global::Docker.DotNet.Models.ContainerStopParameters());

        await Assertions.Expect(state).ToHaveTextAsync("exited", new() { Timeout = 15_000 });
        Assert.Equal(0, navigations);
    }
}
