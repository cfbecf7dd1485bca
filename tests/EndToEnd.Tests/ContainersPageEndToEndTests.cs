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
        await Assertions.Expect(row.Locator("[data-action=start]")).ToBeDisabledAsync(); // it runs already
        // Each button draws its icon from the page's symbols (QuickActionIcons): "action:paths:width", all found and drawn.
        var icons = await row.Locator("td.actions button").EvaluateAllAsync<string[]>("""
            buttons => buttons.map(b => {
              const use = b.querySelector('svg use');
              const symbol = use && document.querySelector(use.getAttribute('href'));
              return `${b.dataset.action}:${symbol ? symbol.querySelectorAll('path').length : 0}:${use ? Math.round(use.getBBox().width) : 0}`;
            })
            """);
        Assert.Equal(["restart", "start", "stop", "kill", "remove"], icons.Select(i => i.Split(':')[0]));
        Assert.All(icons, icon => Assert.Matches(@"^[a-z]+:[1-9]\d*:[1-9]\d*$", icon));
        await row.Locator("[data-action=stop]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop container" }).ClickAsync(); // Stop asks first
        await ExpectReportAsync(page, $"Stop {name} on {node.Name}:");
        await Assertions.Expect(state).ToHaveTextAsync("exited", new() { Timeout = 15_000 });
        Assert.False((await Containers.InspectAsync(node, id)).State!.Running);

        await Assertions.Expect(row.Locator("[data-action=stop]")).ToBeDisabledAsync(); // stopped already
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

    [Fact]
    public async Task Stop_AsksFirst_AndCancellingLeavesTheContainerRunning()
    {
        var node = Lab.SharedNodes[1];
        var name = $"{Containers.RunId}-keep";
        var id = await Containers.RunAsync(node, "sigquit", "keep", stopSignal: "SIGQUIT");

        var page = await SignInAsync(await UserAsync(Core.Security.Role.Operator));
        await page.Locator("input[data-testid=filter-text]").FillAsync(Containers.RunId);
        var row = page.Locator($"tr[data-container='{name}']");
        await Assertions.Expect(row.Locator("[data-testid=state]")).ToHaveTextAsync("running", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("tr[data-container]")).ToHaveCountAsync(1, new() { Timeout = 15_000 }); // filtered: rows stay put
        await row.Locator("[data-action=stop]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync($"Stop {name} on {node.Name}?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        await Assertions.Expect(row.Locator("[data-testid=state]")).ToHaveTextAsync("running");
        Assert.True((await Containers.InspectAsync(node, id)).State!.Running);
        Assert.Equal(0, await page.GetByText($"Stop {name} on {node.Name}:").CountAsync()); // no action ran
    }

    [Fact]
    public async Task TickingTwoContainers_OpensTheLogsOfBoth_InOneClick()
    {
        await Containers.RunAsync(Lab.SharedNodes[0], "logger", "pick-a", new Dictionary<string, string> { ["PREFIX"] = "apple", ["RATE"] = "5", ["COUNT"] = "5" });
        await Containers.RunAsync(Lab.SharedNodes[1], "logger", "pick-b", new Dictionary<string, string> { ["PREFIX"] = "berry", ["RATE"] = "5", ["COUNT"] = "5" });
        await Containers.RunAsync(Lab.SharedNodes[1], "logger", "pick-c", new Dictionary<string, string> { ["PREFIX"] = "cherry", ["RATE"] = "5", ["COUNT"] = "5" });

        var page = await SignInAsync(await UserAsync(Core.Security.Role.Viewer));
        await page.Locator("input[data-testid=filter-text]").FillAsync(Containers.RunId);
        await Assertions.Expect(page.Locator("tr[data-container]")).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        await page.Locator($"tr[data-container='{Containers.RunId}-pick-a'] [data-testid=select]").CheckAsync();
        await page.Locator($"tr[data-container='{Containers.RunId}-pick-b'] [data-testid=select]").CheckAsync();
        var open = page.Locator("[data-testid=open-logs-selected]");
        await Assertions.Expect(open).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Open logs of 2 selected", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        await open.ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/logs\\?c=.+&c=.+$"));
        Assert.Equal(2, new Uri(page.Url).Query.Split('&').Length);
        await Assertions.Expect(page.GetByText(new System.Text.RegularExpressions.Regex("apple")).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByText(new System.Text.RegularExpressions.Regex("berry")).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(0, await page.GetByText(new System.Text.RegularExpressions.Regex("cherry")).CountAsync());
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(1440)]
    public async Task ManyContainersWithLongNamesAndDigests_FitTheWidth_WithActionsInView(int width)
    {
        // Digest references (as replicas have) and long names: the auto-layout table was 1,900 px wide with them.
        var node = Lab.SharedNodes[2];
        var image = await Containers.Client(node).Images.InspectImageAsync(Lab.Image("sigquit"));
        var byDigest = image.RepoDigests.First();
        await Parallel.ForEachAsync(Enumerable.Range(1, 40), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
            await Containers.Client(node).Containers.CreateContainerAsync(new global::Docker.DotNet.Models.CreateContainerParameters
            {
                Name = $"{Containers.RunId}-a-rather-long-container-name-for-the-layout-check-{i:D2}",
                Image = byDigest,
                Labels = new Dictionary<string, string> { [LabContainers.RunLabel] = Containers.RunId },
                HostConfig = new global::Docker.DotNet.Models.HostConfig { NetworkMode = "host" },
            }));

        var page = await SignInAsync(await UserAsync(Core.Security.Role.Operator));
        await page.SetViewportSizeAsync(width, 900);
        await Assertions.Expect(page.Locator($"tr[data-container^='{Containers.RunId}-a-rather-long']").First).ToBeVisibleAsync(new() { Timeout = 15_000 });

        var fits = await page.EvaluateAsync<bool[]>("""
            () => {
                const doc = document.scrollingElement, table = document.querySelector('.containers-table');
                return [doc.scrollWidth <= doc.clientWidth, table.scrollWidth <= table.clientWidth];
            }
            """);
        Assert.Equal([true, true], fits);
        await Assertions.Expect(page.Locator("th", new() { HasText = "Actions" })).ToBeInViewportAsync(new() { Ratio = 1 });
        // Other tests' containers may come first and change the rows while they run: filter to this test's own.
        await page.Locator("input[data-testid=filter-text]").FillAsync($"{Containers.RunId}-a-rather-long");
        await Assertions.Expect(page.Locator("tr[data-container]").First).ToHaveAttributeAsync("data-container",
            new System.Text.RegularExpressions.Regex($"^{Containers.RunId}-a-rather-long"), new() { Timeout = 15_000 });
        var row = page.Locator($"tr[data-container^='{Containers.RunId}-a-rather-long']").First;
        await Assertions.Expect(row.Locator("[data-action=remove]")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Assertions.Expect(row.Locator("[data-testid=state]")).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Contains("@sha256:", await row.Locator("td.image").GetAttributeAsync("title") ?? "", StringComparison.Ordinal); // in full on hover
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
