using System.Diagnostics;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>
/// The PHP-FPM case: SIGTERM is not graceful, SIGQUIT is. The stop signal set on the container at
/// create time is what every stop uses (API 1.41 ignores a signal passed to the stop call).
/// </summary>
public sealed class GracefulStopTests : EngineTestBase
{
    [Fact]
    public async Task Stop_WhenStopSignalIsSigquit_ExitsGracefullyWithoutWaitingForTheTimeout()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "sigquit", "quit", stopSignal: "SIGQUIT", stopTimeoutSeconds: 20);
        await Containers.WaitForLogAsync(node, id, "sigquit service started", TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        await Services.Engine.StopAsync(node, id, timeout: null, default);
        clock.Stop();

        var state = (await Containers.InspectAsync(node, id)).State!;
        Assert.Equal(0, state.ExitCode); // exited on its own: not SIGKILLed (137)
        Assert.Contains("SIGQUIT: graceful exit", await Containers.LogsAsync(node, id), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"did not wait for the 20 s timeout (took {clock.Elapsed})");
    }

    [Fact]
    public async Task Stop_WhenStopSignalIsSigterm_WaitsForTheFullTimeoutThenKills()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "sigquit", "term", stopSignal: "SIGTERM");
        await Containers.WaitForLogAsync(node, id, "sigquit service started", TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        await Services.Engine.StopAsync(node, id, TimeSpan.FromSeconds(2), default);
        clock.Stop();

        var state = (await Containers.InspectAsync(node, id)).State!;
        Assert.Equal(137, state.ExitCode); // SIGKILL after the timeout
        Assert.Contains("SIGTERM ignored", await Containers.LogsAsync(node, id), StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"waited the whole 2 s timeout (took {clock.Elapsed})");
    }

    [Fact]
    public async Task Kill_WithSigquit_DeliversThatSignal()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "sigquit", "kill-quit");
        await Containers.WaitForLogAsync(node, id, "sigquit service started", TimeSpan.FromSeconds(10));

        await Services.Engine.KillAsync(node, id, "SIGQUIT", default);

        await LabContainers.WaitUntilAsync(async () => !(await Containers.InspectAsync(node, id)).State!.Running, TimeSpan.FromSeconds(10), "the container to exit");
        Assert.Equal(0, (await Containers.InspectAsync(node, id)).State!.ExitCode);
    }
}
