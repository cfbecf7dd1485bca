using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests;

public sealed class DockerContainerEngineTests : EngineTestBase
{
    private async Task<List<ContainerSummary>> Mine(NodeDefinition node) =>
        (await Services.Engine.ListContainersAsync(node, default)).Where(c => c.Labels.GetValueOrDefault(LabContainers.RunLabel) == Containers.RunId).ToList();

    [Fact]
    public async Task ListContainers_OnEveryLabNode_IncludesRunningAndStopped()
    {
        foreach (var node in Lab.SharedNodes)
        {
            await Containers.RunAsync(node, "sigquit", "up", labels: new Dictionary<string, string> { ["role"] = "sleeper" });
        }
        foreach (var node in Lab.SharedNodes)
        {
            await Containers.RunAsync(node, "web", "created", new Dictionary<string, string> { ["PORT"] = LabContainers.NextPort().ToString() }, start: false);
        }

        foreach (var node in Lab.SharedNodes)
        {
            var rows = await Mine(node);
            Assert.Equal(2, rows.Count);
            Assert.Single(rows, r => r.State == ContainerState.Created && r.Name == $"{Containers.RunId}-created");
            Assert.All(rows, r => Assert.Equal(node.Name, r.Node));
            Assert.All(rows, r => Assert.StartsWith("sha256:", r.ImageId, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Inspect_ShowsStopSettingsAndMasksSecretValues()
    {
        var node = Lab.SharedNodes[1];
        // DATABASE_URL does not look secret by its name; the label the panel puts on its replicas says it was stored as one.
        var id = await Containers.RunAsync(node, "sigquit", "inspect",
            new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2", ["DATABASE_URL"] = "postgres://app:opensesame@db/app", ["MODE"] = "prod" },
            stopSignal: "SIGQUIT", stopTimeoutSeconds: 7, labels: new Dictionary<string, string> { [ReplicaLabels.SecretEnvironment] = "DATABASE_URL" });

        var d = await Services.Engine.InspectContainerAsync(node, id, default);

        Assert.Equal("SIGQUIT", d.StopSignal);
        Assert.Equal(7, d.StopTimeoutSeconds);
        Assert.Equal(ContainerState.Running, d.State);
        Assert.Equal("host", d.NetworkMode);
        Assert.NotNull(d.StartedAt);
        Assert.Single(d.RepoDigests, r => r.StartsWith($"{Lab.Current.Registry}/lab/sigquit@sha256:", StringComparison.Ordinal));
        var password = Assert.Single(d.Environment, e => e.Name == "DB_PASSWORD");
        Assert.True(password.Masked);
        Assert.True(Assert.Single(d.Environment, e => e.Name == "DATABASE_URL").Masked);
        Assert.DoesNotContain("hunter2", System.Text.Json.JsonSerializer.Serialize(d), StringComparison.Ordinal);
        Assert.DoesNotContain("opensesame", System.Text.Json.JsonSerializer.Serialize(d), StringComparison.Ordinal);
        Assert.Equal("prod", Assert.Single(d.Environment, e => e.Name == "MODE").Value);
    }

    [Fact]
    public async Task Lifecycle_StopStartRestartKillRemove_ChangesRealState()
    {
        var node = Lab.SharedNodes[2];
        var port = LabContainers.NextPort();
        var id = await Containers.RunAsync(node, "web", "life", new Dictionary<string, string> { ["PORT"] = port.ToString() });
        var engine = Services.Engine;

        await engine.StopAsync(node, id, TimeSpan.FromSeconds(5), default);
        Assert.Equal(ContainerState.Exited, (await engine.FindContainerAsync(node, id, default))!.State);

        await engine.StartAsync(node, id, default);
        var started = await engine.InspectContainerAsync(node, id, default);
        Assert.Equal(ContainerState.Running, started.State);

        await engine.RestartAsync(node, id, TimeSpan.FromSeconds(5), default);
        var restarted = await engine.InspectContainerAsync(node, id, default);
        Assert.Equal(ContainerState.Running, restarted.State);
        Assert.True(restarted.StartedAt > started.StartedAt, "restart gives a new start time");

        await engine.KillAsync(node, id, "SIGKILL", default);
        var killed = await engine.InspectContainerAsync(node, id, default);
        Assert.Equal(ContainerState.Exited, killed.State);
        Assert.Equal(137, killed.ExitCode);

        await engine.RemoveAsync(node, id, force: false, default);
        Assert.Null(await engine.FindContainerAsync(node, id, default));
    }

    [Fact]
    public async Task InspectStatus_AgreesWithTheFullInspect_OnStateStartAndExit()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "sigquit", "status");
        var engine = Services.Engine;

        var running = await engine.InspectStatusAsync(node, id, default);
        var full = await engine.InspectContainerAsync(node, id, default);
        Assert.Equal((full.Id, full.Name, ContainerState.Running, true, (int?)null, full.StartedAt, full.RestartCount, full.Tty),
            (running.Id, running.Name, running.State, running.Running, running.ExitCode, running.StartedAt, running.RestartCount, running.Tty));

        await engine.KillAsync(node, id, "SIGKILL", default);
        var killed = await engine.InspectStatusAsync(node, id, default);
        Assert.Equal((ContainerState.Exited, false, (int?)137), (killed.State, killed.Running, killed.ExitCode));
        await Assert.ThrowsAsync<ContainerNotFoundException>(() => engine.InspectStatusAsync(node, "no-such-container", default));
    }

    [Fact]
    public async Task UnknownContainer_IsNotFound_AndRefusalsCarryTheEngineMessage()
    {
        var node = Lab.SharedNodes[0];
        var missing = await Assert.ThrowsAsync<ContainerNotFoundException>(() => Services.Engine.InspectContainerAsync(node, "no-such-container", default));
        Assert.Equal("no-such-container", missing.Container);
        await Assert.ThrowsAsync<ContainerNotFoundException>(() => Services.Engine.StartAsync(node, "no-such-container", default));

        var id = await Containers.RunAsync(node, "sigquit", "never-started", start: false);
        var refused = await Assert.ThrowsAsync<EngineRefusedException>(() => Services.Engine.KillAsync(node, id, "SIGKILL", default));
        Assert.Contains("is not running", refused.EngineMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindContainer_ByNameOrIdPrefix_IgnoresOtherNamesThatContainIt()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "sigquit", "api", start: false);
        await Containers.RunAsync(node, "sigquit", "api-2", start: false);

        Assert.Equal(id, (await Services.Engine.FindContainerAsync(node, $"{Containers.RunId}-api", default))?.Id);
        Assert.Equal(id, (await Services.Engine.FindContainerAsync(node, id[..12], default))?.Id);
        Assert.Null(await Services.Engine.FindContainerAsync(node, $"{Containers.RunId}-ap", default));
    }

    [Fact]
    public async Task UnreachableNode_IsReportedWithTheReason()
    {
        var ghost = new NodeDefinition("ghost", "unix:///tmp/no-such-dir/docker.sock", new Dictionary<string, string>());
        var ex = await Assert.ThrowsAsync<EngineUnavailableException>(() => Services.Engine.ListContainersAsync(ghost, default));
        Assert.Equal("ghost", ex.Node);
        Assert.Contains("no Docker socket at /tmp/no-such-dir/docker.sock", ex.Reason, StringComparison.Ordinal);
    }
}
