using ControlPanel.Core.Releases;
using System.Net.Http.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>A node's engine killed in the middle of a rollout; the engine is one of the test's own, so killing it disturbs no other test.</summary>
public sealed class DeploymentNodeLossTests : DeployTestBase
{
    private TemporaryEngine _engine = default!;
    private readonly int _ports = LabContainers.NextPorts(12);

    public override async Task InitializeAsync()
    {
        _engine = await TemporaryEngine.StartAsync();
        Factory.Settings["ControlPanel:Deployments:EngineCallTimeout"] = "00:00:10"; // short, yet ample for a healthy engine on a busy machine
        Factory.Settings["ControlPanel:Nodes:4:Name"] = "scratch";
        Factory.Settings["ControlPanel:Nodes:4:Endpoint"] = _engine.Endpoint;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private object Runtime() => new
    {
        nodes = new[] { "node1", "scratch" }, replicasPerNode = 2,
        ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 11 } },
        // The drain before each old replica's stop gives the test a known moment to act: node1's old replica is draining, scratch is next.
        drainDelaySeconds = 2,
        update = new { parallelism = 1, monitorSeconds = 1, progressDeadlineSeconds = 20 },
    };

    /// <summary>
    /// Deploys release 1, then starts release 2 and returns once node1's first new replica is healthy and its old one drains. Slots go node by
    /// node, so scratch's replica is next: whatever happens to its engine now happens mid-rollout.
    /// </summary>
    private async Task<(int First, Deployment Started)> DeployUntilNode1ReplacedItsFirstReplicaAsync()
    {
        var first = await ReleaseAsync(WebImage("1"), Runtime());
        Succeeded(await DeployAsync(first));
        var started = await StartDeployAsync(await ReleaseAsync(WebImage("2"), Runtime()));
        await LabContainers.WaitUntilAsync(async () => (await Deployer.GetFromJsonAsync<Deployment>($"/api/deployments/{started.Id}", Json))!
            .Steps.Any(s => s.Node == "node1" && s.Action == DeploymentStepAction.Drain), TimeSpan.FromSeconds(60), "node1's first old replica to drain");
        return (first, started);
    }

    [Fact]
    public async Task EngineKilledMidRollout_EndsFailedOrRolledBackOnTheOthers_AndTheHistoryNamesTheNode()
    {
        var (first, started) = await DeployUntilNode1ReplacedItsFirstReplicaAsync();
        _engine.Kill();
        var ended = await WaitDeploymentAsync(started.Id);

        Assert.True(ended.Status is DeploymentStatus.RolledBack or DeploymentStatus.Failed, $"{ended.Status}: {ended.Reason}");
        Assert.Contains("'scratch'", ended.Reason, StringComparison.Ordinal);
        Assert.Contains(ended.Steps, s => s.Node == "scratch" && s.Failed);
        var onNode1 = (await ReplicasAsync()).Where(r => r.Node == "node1").ToList();
        Assert.Equal(2, onNode1.Count(r => r.Container.State == "running"));
        // node1 had replaced its first replica when scratch's engine died; scratch's replica failed next.
        if (ended.Status == DeploymentStatus.RolledBack)
        {
            // The rollback restored that replica: node1 runs release 1 only, as before the deployment.
            Assert.All(onNode1, r => Assert.Equal(first.ToString(), r.Container.Labels[ReplicaLabels.Release]));
        }
        else
        {
            // Past its first change a rollout ends Failed only when the rollback fails too (Rollout.RunAsync); each of node1's
            // slots still runs exactly one replica, of release 1 or of the new release.
            Assert.Contains("Rolling back failed too", ended.Reason, StringComparison.Ordinal);
            Assert.All(onNode1.Where(r => r.Container.State == "running"),
                r => Assert.Contains(r.Container.Labels[ReplicaLabels.Release], new[] { first.ToString(), started.Release.ToString() }));
        }
    }

    [Fact]
    public async Task EngineHungMidRollout_FailsItsStepAfterTheEngineCallTimeout_AndRollsBackTheOtherNode()
    {
        var (first, started) = await DeployUntilNode1ReplacedItsFirstReplicaAsync();
        _engine.Freeze(); // alive but answering nothing: no connection error will ever come
        var ended = await WaitDeploymentAsync(started.Id, seconds: 90);

        Assert.Equal(DeploymentStatus.RolledBack, ended.Status);
        Assert.Contains("node 'scratch' did not finish", ended.Reason, StringComparison.Ordinal);
        var hung = ended.Steps.Where(s => s.Node == "scratch" && s.Failed).OrderBy(s => s.Id).First();
        Assert.Equal(DeploymentStepAction.Create, hung.Action);
        Assert.True(hung.Duration > TimeSpan.FromSeconds(9) && hung.Duration < TimeSpan.FromSeconds(120), $"the hung step was given up after {hung.Duration}");
        var onNode1 = (await ReplicasAsync()).Where(r => r.Node == "node1").ToList();
        Assert.Equal(2, onNode1.Count(r => r.Container.State == "running"));
        Assert.All(onNode1, r => Assert.Equal(first.ToString(), r.Container.Labels[ReplicaLabels.Release]));
    }
}
