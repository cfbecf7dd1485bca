using System.Globalization;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>On call, a container's memory climbing: its page shows it climb while open, to a Viewer too.</summary>
public sealed class ResourceChartsEndToEndTests : BrowserTestBase
{
    [Fact]
    public async Task AContainerAllocatingMemory_ShowsRisingMemoryInItsOpenCharts_ToAViewer()
    {
        var node = Lab.SharedNodes[0];
        var name = $"{Containers.RunId}-grows";
        await ResourceContainers.RunAsync(Containers, node, "grows", ResourceContainers.Allocating(60), memoryBytes: 256L << 20);

        var viewer = await SignInAsync(await UserAsync(Role.Viewer));
        await viewer.Locator("input[data-testid=filter-text]").FillAsync(Containers.RunId);
        await viewer.Locator($"tr[data-container='{name}'] a[href*='/containers/']").ClickAsync();
        await Assertions.Expect(viewer.Locator("h1")).ToHaveTextAsync(name);

        var summary = viewer.Locator("[data-testid=resource-summary]");
        var first = await ReadingAsync(summary);
        // Live while open: more readings arrive, and the memory they show climbs by 20 MB or more.
        await LabContainers.WaitUntilAsync(async () =>
        {
            var now = await ReadingAsync(summary);
            return now.Samples > first.Samples && now.MemoryBytes >= first.MemoryBytes + 20_000_000;
        }, TimeSpan.FromSeconds(90), "the open page's memory reading to rise by 20 MB");

        // The text says it in words (with the limit), and each of the five charts draws its lines.
        await Assertions.Expect(viewer.Locator("[data-testid=memory-now]")).ToContainTextAsync("of 256 MiB");
        await Assertions.Expect(viewer.Locator("[data-chart]")).ToHaveCountAsync(5);
        await Assertions.Expect(viewer.Locator("[data-chart=memory] svg path")).Not.ToHaveCountAsync(0);

        // Another range reloads history and keeps following.
        await viewer.Locator("[data-range=OneHour]").ClickAsync();
        await Assertions.Expect(viewer.Locator("[data-range=OneHour]")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.True((await ReadingAsync(summary)).MemoryBytes >= first.MemoryBytes + 20_000_000);
    }

    private static async Task<(int Samples, long MemoryBytes)> ReadingAsync(ILocator summary)
    {
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-memory-bytes", new System.Text.RegularExpressions.Regex("^[0-9]+$"), new() { Timeout = 45_000 });
        var samples = int.Parse(await summary.GetAttributeAsync("data-samples") ?? "0", CultureInfo.InvariantCulture);
        var memory = long.Parse(await summary.GetAttributeAsync("data-memory-bytes") ?? "0", CultureInfo.InvariantCulture);
        return (samples, memory);
    }
}
