using System.Globalization;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>On call, something misbehaves somewhere: Top finds it in one glance and leads to its logs or a restart.</summary>
public sealed class TopViewEndToEndTests : BrowserTestBase
{
    [Fact]
    public async Task Top_ListsTheFleetSortedByCpu_AndAnOperatorRestartsARowAfterConfirming()
    {
        var node = Lab.SharedNodes[0];
        var busy = $"{Containers.RunId}-busy";
        var idle = $"{Containers.RunId}-idle";
        await ResourceContainers.RunAsync(Containers, node, "busy", ResourceContainers.BusyLoop, cpus: 0.3);
        var idleId = await ResourceContainers.RunAsync(Containers, Lab.SharedNodes[1], "idle", "sleep 3600");
        var startedBefore = (await Containers.InspectAsync(Lab.SharedNodes[1], idleId)).State!.StartedAt;

        var page = await SignInAsync(await UserAsync(Role.Operator));
        await page.Locator("nav.app-nav a[href='/top']").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Top");
        var busyRow = page.Locator($"tr[data-container='{busy}']");
        await Assertions.Expect(busyRow).ToBeVisibleAsync(new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator($"tr[data-container='{idle}']")).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("th[aria-sort=descending] [data-sort=Cpu]")).ToHaveCountAsync(1);

        // Sorted by CPU, largest first: the busy container's row above the idle one, every row in order.
        await LabContainers.WaitUntilAsync(async () =>
        {
            var rows = await RowsAsync(page);
            var busyAt = rows.FindIndex(r => r.Name == busy);
            var idleAt = rows.FindIndex(r => r.Name == idle);
            return busyAt >= 0 && idleAt > busyAt && rows.Zip(rows.Skip(1)).All(p => p.First.Cpu >= p.Second.Cpu);
        }, TimeSpan.FromSeconds(45), "Top's rows in descending CPU order with the busy container above the idle one");

        // Restart asks first, naming the container, then restarts it in place.
        await page.Locator($"tr[data-container='{idle}'] [data-action=restart]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync($"Restart {idle} on {Lab.SharedNodes[1].Name}?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restart", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"Restart {idle} on {Lab.SharedNodes[1].Name}: done", new() { Timeout = 30_000 });
        Assert.NotEqual(startedBefore, (await Containers.InspectAsync(Lab.SharedNodes[1], idleId)).State!.StartedAt);
    }

    [Fact]
    public async Task AContainerInACrashLoop_IsListedWhileBetweenRuns_AndMarkedAsRestartingInALoop()
    {
        // It exits at once and is restarted with the engine's growing back-off: almost never running when sampled.
        await MisbehavingContainers.RunCrashLoopAsync(Containers, Lab.SharedNodes[0], "looping");
        var name = $"{Containers.RunId}-crashloop";

        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.Locator("nav.app-nav a[href='/top']").ClickAsync();
        var row = page.Locator($"tr[data-container='{name}']");
        await Assertions.Expect(row.Locator("[data-mark=restart-loop]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(row.Locator("[data-action=logs]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task AContainerOomKilledUnderALowLimit_IsMarkedInTop_AndItsLogsLinkOpensAtThatMoment()
    {
        var node = Lab.SharedNodes[0];
        var name = $"{Containers.RunId}-oom";
        var id = await ResourceContainers.RunAsync(Containers, node, "oom", ResourceContainers.DoublingUntilKilled,
            memoryBytes: 24L << 20, restartPolicy: RestartPolicyKind.Always);

        var viewer = await SignInAsync(await UserAsync(Role.Viewer));
        await viewer.Locator("nav.app-nav a[href='/top']").ClickAsync();
        var row = viewer.Locator($"tr[data-container='{name}']");
        await Assertions.Expect(row.Locator("[data-mark=oom-killed]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        Assert.True((await Containers.InspectAsync(node, id)).RestartCount > 0);
        // A Viewer has the logs link but no restart button.
        await Assertions.Expect(row.Locator("[data-action=restart]")).ToHaveCountAsync(0);

        var href = await row.Locator("[data-action=logs]").GetAttributeAsync("href");
        var at = long.Parse(System.Web.HttpUtility.ParseQueryString(new Uri(new Uri(BaseUrl), href).Query)["at"]!, CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(at), DateTimeOffset.UtcNow.AddMinutes(-3), DateTimeOffset.UtcNow);
        await row.Locator("[data-action=logs]").ClickAsync();
        await viewer.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/logs\\?c=.*{id[..12]}.*&at={at}$"));
        await Assertions.Expect(viewer.GetByText("holding 1 MB").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    private static async Task<List<(string Name, double Cpu)>> RowsAsync(IPage page) =>
        (await page.Locator("tr[data-container]").EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.container, r.dataset.cpu])"))
        .Select(r => (r[0], double.Parse(r[1], CultureInfo.InvariantCulture))).ToList();
}
