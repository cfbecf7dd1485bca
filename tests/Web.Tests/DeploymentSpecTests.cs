using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.Web.Tests;

/// <summary>What a runtime spec puts into each replica's own configuration, and the HTTP probe that gates a rollout.</summary>
public sealed class DeploymentSpecTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(12);
    private readonly string _mounts = Directory.CreateTempSubdirectory("cp-mounts-").FullName;

    public DeploymentSpecTests() => Factory.Settings["ControlPanel:HostMounts:AllowedPaths:0"] = _mounts;

    private object ProbedRuntime(int deadline) => new
    {
        nodes = Lab.SharedNodes.Select(n => n.Name).ToArray(),
        ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 11 } },
        health = "Http",
        httpProbe = new { path = "/health", portName = "PORT", timeoutSeconds = 1 },
        update = new { monitorSeconds = 1, progressDeadlineSeconds = deadline },
    };

    [Fact]
    public async Task HttpProbe_GatesEachReplicaOnItsOwnPort_AndAReplicaAnswering404IsRolledBack()
    {
        // No Docker HEALTHCHECK in either image: only the panel's probe can tell them apart.
        var good = await ReleaseAsync(WebImage("1", "HEALTHCHECK NONE"), ProbedRuntime(deadline: 30));
        var deployed = Succeeded(await DeployAsync(good));
        Assert.Equal(3, deployed.Steps.Count(s => s.Action == DeploymentStepAction.Healthy && !s.Failed));

        var broken = await ReleaseAsync(WebImage("2", "HEALTHCHECK NONE", "ENV HEALTHY=0"), ProbedRuntime(deadline: 4));
        var rollout = await DeployAsync(broken);

        Assert.Equal(DeploymentStatus.RolledBack, rollout.Status);
        Assert.Contains("HTTP probe: GET http://127.0.0.1:", rollout.Reason, StringComparison.Ordinal);
        Assert.Contains("/health answered 404", rollout.Reason, StringComparison.Ordinal);
        Assert.Single(rollout.Steps, s => s.Action == DeploymentStepAction.Healthy && s.Failed);
        var replicas = await ReplicasAsync();
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, r => Assert.Equal((good.ToString(), "running"), (r.Container.Labels[ReplicaLabels.Release], r.Container.State)));
    }

    [Fact]
    public async Task EachReplica_IsCreatedWithTheSpecsLimitsVolumesRestartPolicyLabelsAndStopSettings()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_mounts, "data")).FullName;
        var runtime = new
        {
            nodes = new[] { Lab.SharedNodes[0].Name, Lab.SharedNodes[1].Name },
            ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 11 } },
            memoryMb = 64,
            cpus = 0.5,
            restartPolicy = "on-failure",
            volumes = new[] { $"{folder}:/data:ro" },
            labels = new Dictionary<string, string> { ["team"] = "payments" },
            stopSignal = "QUIT",
            stopTimeoutSeconds = 7,
            command = new[] { "serve" }, // after the image's entrypoint (sh /run.sh), which ignores it
            update = new { monitorSeconds = 0 },
        };
        try
        {
            var release = await ReleaseAsync(WebImage("1"), runtime);
            var deployment = Succeeded(await DeployAsync(release));

            var replicas = await ReplicasAsync();
            Assert.Equal(2, replicas.Count);
            foreach (var (node, c) in replicas)
            {
                var inspected = await Engines.InspectAsync(Lab.SharedNodes.Single(n => n.Name == node), c.ID);
                var host = inspected.HostConfig!;
                Assert.Equal(64L * 1024 * 1024, host.Memory);
                Assert.Equal(500_000_000L, host.NanoCPUs);
                Assert.Equal(RestartPolicyKind.OnFailure, host.RestartPolicy.Name);
                Assert.Equal("host", host.NetworkMode);
                var mount = Assert.Single(inspected.Mounts);
                Assert.Equal((folder, "/data", false), (mount.Source, mount.Destination, mount.RW));
                var config = inspected.Config!;
                Assert.Equal("SIGQUIT", config.StopSignal); // normalised from "QUIT"
                Assert.Equal(7, config.StopTimeout?.TotalSeconds);
                Assert.Equal(["serve"], config.Cmd);
                Assert.Equal("payments", config.Labels["team"]);
                Assert.Equal((Service, release.ToString(), deployment.Id.ToString()),
                    (config.Labels[ReplicaLabels.Service], config.Labels[ReplicaLabels.Release], config.Labels[ReplicaLabels.Deployment]));
                Assert.Contains($"PORT={config.Labels[ReplicaLabels.PortPrefix + "PORT"]}", config.Env);
            }
        }
        finally
        {
            Directory.Delete(_mounts, recursive: true);
        }
    }
}
