using ControlPanel.Core.Resources;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A node that runs no container uses none of itself for containers: the Nodes page must say 0 %, not leave the cell
/// blank as if the node had never been read. The node is the test's own engine, so no other test's container runs there.
/// </summary>
public sealed class IdleNodeUsageTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private TemporaryEngine _engine = default!;

    public async Task InitializeAsync()
    {
        _engine = await TemporaryEngine.StartAsync();
        _factory.Settings["ControlPanel:Nodes:4:Name"] = "empty";
        _factory.Settings["ControlPanel:Nodes:4:Endpoint"] = _engine.Endpoint;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task ANodeWithNoRunningContainer_ReadsAsZeroUse_OnceARoundHasLookedAtIt()
    {
        await _factory.CreateClientAsync(Role.Viewer);
        var usage = _factory.Services.GetRequiredService<ResourceUsage>();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(usage.Samplers.TryGetValue("empty", out var s) && s.Rounds > 0),
            TimeSpan.FromSeconds(90), "the empty node's first sampling round");

        var latest = usage.Latest(new ResourceScope.Node("empty"));

        Assert.NotNull(latest);
        Assert.Equal(0, latest.CpuPercentOfHost);
        Assert.Equal(0, latest.MemoryBytes);
        Assert.Equal(usage.EngineTotals("empty")!.Value.MemoryBytes, latest.MemoryLimitBytes);
        Assert.True(latest.MemoryLimitBytes > 0);
    }
}
