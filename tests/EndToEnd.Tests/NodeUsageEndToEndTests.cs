using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A Viewer keeps the Nodes page open and sees a node's memory use change as a container there fills its memory.</summary>
public sealed class NodeUsageEndToEndTests : BrowserTestBase
{
    [Fact]
    public async Task AViewer_OnTheNodesPage_SeesANodesCpuAndMemoryUseLive()
    {
        var node = Lab.SharedNodes[1];
        var page = await SignInAsync(await UserAsync(Role.Viewer));
        await page.GotoAsync($"{BaseUrl}/nodes");
        await page.Locator("[data-circuit=on]").WaitForAsync();
        var row = page.Locator($"tr[data-node='{node.Name}']");
        var memory = row.Locator("[data-testid=node-memory]");
        await Assertions.Expect(row.Locator("[data-testid=node-cpu-percent]")).ToContainTextAsync("% used", new() { Timeout = 60_000 });
        await Assertions.Expect(memory).ToContainTextAsync("GiB");
        var before = await memory.InnerTextAsync();

        await Containers.RunAsync(node, "busybox", "fills",
            shellCommand: "i=0; while [ $i -lt 40 ]; do i=$((i+1)); head -c 2000000 /dev/zero > /dev/shm/f$i; sleep 1; done; sleep 3600");
        await Assertions.Expect(memory).Not.ToHaveTextAsync(before, new() { Timeout = 60_000 });
    }
}
