using System.Net.Http.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Stops that run out their timeout and end in SIGKILL (exit 137), on the lab's engines: a deployment's stop-old step
/// and the container actions say so with the likely cause, and <c>init: true</c> makes a shell PID 1 stop gracefully.
/// </summary>
public sealed class HungStopTests : DeployTestBase
{
    // A shell as PID 1 running its program without exec: PID 1 has no default signal handlers, so SIGTERM does nothing.
    private static readonly string[] ShellWithoutExec = ["sh", "-c", "while true; do sleep 1; done"];

    /// <summary>Saves the runtime spec of a service released from a lab image by tag and makes a release with it.</summary>
    private async Task<int> ReleaseImageAsync(string repository, object runtime)
    {
        await SaveAsync(Service, repository, runtime);
        return await ReleaseTagAsync(Service, "1");
    }

    private static Dictionary<string, object> Runtime(bool init, string[]? command = null)
    {
        var runtime = new Dictionary<string, object>
        {
            ["nodes"] = new[] { Lab.SharedNodes[0].Name },
            ["health"] = "None",
            ["stopTimeoutSeconds"] = 2,
            ["init"] = init,
            ["update"] = new { monitorSeconds = 1 },
        };
        if (command is not null) runtime["command"] = command;
        return runtime;
    }

    private static DeploymentStep StopOld(Deployment d) => Assert.Single(d.Steps, s => s.Action == DeploymentStepAction.StopOld);

    [Fact]
    public async Task StopOld_OfAShellPid1WithoutExec_IsRecordedAsKilledWithItsCause_AndWithInitItStopsGracefully()
    {
        Succeeded(await DeployAsync(await ReleaseImageAsync("lab/busybox", Runtime(init: false, ShellWithoutExec))));

        // The second release runs with an init process; the replica it replaces does not, and is killed at the timeout.
        var killed = Succeeded(await DeployAsync(await ReleaseImageAsync("lab/busybox", Runtime(init: true, ShellWithoutExec))));
        var detail = StopOld(killed).Detail;
        Assert.StartsWith("killed after the 2 s stop timeout (exit 137): PID 1 is a shell (sh -c while true; do sleep 1; done): unless it execs the program", detail, StringComparison.Ordinal);
        Assert.Contains("Run with an init process (init: true)", detail, StringComparison.Ordinal);
        var (node, replica) = Assert.Single(await ReplicasAsync());
        var inspected = await Engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.InspectContainerAsync(replica.ID);
        Assert.True(inspected.HostConfig?.Init);

        // Under init the shell is not PID 1: SIGTERM ends it, so the next stop is graceful and records nothing.
        var graceful = Succeeded(await DeployAsync(await ReleaseImageAsync("lab/busybox", Runtime(init: true, ShellWithoutExec))));
        Assert.Null(StopOld(graceful).Detail);
        var (_, last) = Assert.Single(await ReplicasAsync());
        Assert.NotEqual(replica.ID, last.ID);
    }

    [Fact]
    public async Task StopAndRestart_OfAReplicaThatIgnoresItsStopSignal_SayItWasKilled_InTheResultAndTheAuditLog()
    {
        // lab/sigquit ignores SIGTERM (its run.sh traps it) and exits on SIGQUIT, as a PHP-FPM that needs SIGQUIT would.
        Succeeded(await DeployAsync(await ReleaseImageAsync("lab/sigquit", Runtime(init: false))));
        var (node, replica) = Assert.Single(await ReplicasAsync());
        var operatorClient = await Factory.CreateClientAsync(Core.Security.Role.Operator);

        var restart = await operatorClient.PostAsync($"/api/nodes/{node}/containers/{replica.ID}/restart", null);
        Assert.True(restart.IsSuccessStatusCode, await restart.Content.ReadAsStringAsync());
        var restarted = (await restart.Content.ReadFromJsonAsync<ContainerActionResult>(Json))!;
        Assert.NotNull(restarted.Killed);
        Assert.Equal((2, "SIGTERM", false), (restarted.Killed.TimeoutSeconds, restarted.Killed.StopSignal, restarted.Killed.Init));
        Assert.StartsWith("PID 1 is a shell (/bin/sh /run.sh)", restarted.Killed.Cause, StringComparison.Ordinal);
        Assert.Equal(ContainerState.Running, restarted.StateAfter?.State);

        var stop = await operatorClient.PostAsync($"/api/nodes/{node}/containers/{replica.ID}/stop", null);
        Assert.True(stop.IsSuccessStatusCode, await stop.Content.ReadAsStringAsync());
        Assert.NotNull((await stop.Content.ReadFromJsonAsync<ContainerActionResult>(Json))!.Killed);

        // A stop of a container already stopped kills nothing, whatever its last exit code says.
        var again = await operatorClient.PostAsync($"/api/nodes/{node}/containers/{replica.ID}/stop", null);
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        Assert.Null((await again.Content.ReadFromJsonAsync<ContainerActionResult>(Json))!.Killed);

        var audit = await Factory.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Node = node, Limit = 500 }, default);
        var entries = audit.Where(e => e.Target == replica.ID && e.Action is "container.stop" or "container.restart").ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(2, entries.Count(e => e.Detail?.Contains("; killed after the 2 s stop timeout (exit 137): PID 1 is a shell", StringComparison.Ordinal) == true));
    }
}
