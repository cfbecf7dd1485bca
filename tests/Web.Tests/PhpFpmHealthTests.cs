using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>The lab's PHP-FPM (lab/php-fpm, released by tag) deployed behind the panel's own FastCGI and TCP probes.</summary>
public sealed class PhpFpmHealthTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(12);

    /// <summary>Saves the runtime spec of a service whose images are the lab's PHP-FPM and releases <paramref name="tag"/> with it.</summary>
    private async Task<int> ReleasePhpFpmAsync(string tag, object runtime)
    {
        await SaveAsync(Service, "lab/php-fpm", runtime);
        return await ReleaseTagAsync(Service, tag);
    }

    private object Runtime(string[] nodes, string health, object probe, int deadline) => new Dictionary<string, object>
    {
        ["nodes"] = nodes,
        ["ports"] = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 11 } },
        ["health"] = health,
        [health == "Tcp" ? "tcpProbe" : "fastCgiProbe"] = probe,
        ["update"] = new { monitorSeconds = 1, progressDeadlineSeconds = deadline },
    };

    [Fact]
    public async Task FastCgiProbe_GatesEachPhpFpmReplicaOnItsPing_AndAPingThatNeverAnswersIsRolledBackByTheDeadline()
    {
        var nodes = Lab.SharedNodes.Select(n => n.Name).ToArray();
        // Only the ping tells: no HEALTHCHECK in the image.
        var good = await ReleasePhpFpmAsync("1", Runtime(nodes, "FastCgi", new { portName = "PORT", timeoutSeconds = 1 }, deadline: 60));
        var deployed = Succeeded(await DeployAsync(good));
        Assert.Equal(3, deployed.Steps.Count(s => s.Action == DeploymentStepAction.Healthy && !s.Failed));

        // A FastCGI server that accepts and never answers, as a PHP-FPM whose workers all hang does.
        using var hung = new TcpListener(IPAddress.Loopback, 0);
        hung.Start();
        var port = ((IPEndPoint)hung.LocalEndpoint).Port;
        var silent = await ReleasePhpFpmAsync("2", Runtime(nodes, "FastCgi", new { port, timeoutSeconds = 1 }, deadline: 3));
        var rollout = await DeployAsync(silent);

        Assert.Equal(DeploymentStatus.RolledBack, rollout.Status);
        Assert.Contains($"FastCGI probe: FastCGI GET /ping on 127.0.0.1:{port} did not answer within 1 s", rollout.Reason, StringComparison.Ordinal);
        Assert.Single(rollout.Steps, s => s.Action == DeploymentStepAction.Healthy && s.Failed);
        var replicas = await ReplicasAsync();
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, r => Assert.Equal((good.ToString(), "running"), (r.Container.Labels[ReplicaLabels.Release], r.Container.State)));
    }

    [Fact]
    public async Task TcpProbe_PassesAListeningPhpFpm_AndAPortNobodyListensOnIsRolledBack()
    {
        var nodes = new[] { Lab.SharedNodes[0].Name };
        var good = await ReleasePhpFpmAsync("1", Runtime(nodes, "Tcp", new { portName = "PORT" }, deadline: 60));
        Succeeded(await DeployAsync(good));

        var closed = LabContainers.NextPort();
        var wrong = await ReleasePhpFpmAsync("2", Runtime(nodes, "Tcp", new { port = closed, timeoutSeconds = 1 }, deadline: 3));
        var rollout = await DeployAsync(wrong);

        Assert.Equal(DeploymentStatus.RolledBack, rollout.Status);
        Assert.Contains($"TCP probe: connecting to 127.0.0.1:{closed} failed: Connection refused", rollout.Reason, StringComparison.Ordinal);
        var replica = Assert.Single(await ReplicasAsync());
        Assert.Equal((good.ToString(), "running"), (replica.Container.Labels[ReplicaLabels.Release], replica.Container.State));
    }
}
