using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>The update policy's other choices on a lab node: cancel, stop-first with a drain delay, a delay between batches, and pause instead of rollback.</summary>
public sealed class DeploymentPolicyTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(10);

    private object Runtime(int replicas, object update, int drain = 0, bool fixedPort = false) => new
    {
        nodes = new[] { Lab.SharedNodes[0].Name },
        replicasPerNode = replicas,
        ports = fixedPort ? new object[] { new { name = "PORT", @fixed = _ports } } : [new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 }],
        drainDelaySeconds = drain,
        update,
    };

    [Fact]
    public async Task Cancel_StopsAfterTheCurrentBatch_LeavingEachSlotExactlyOneRunningReplica()
    {
        var update = new { parallelism = 1, monitorSeconds = 2, progressDeadlineSeconds = 30 };
        Succeeded(await DeployAsync(await ReleaseAsync(WebImage("1"), Runtime(4, update))));
        var second = await ReleaseAsync(WebImage("2"), Runtime(4, update));
        var started = await StartDeployAsync(second);
        await LabContainers.WaitUntilAsync(async () => (await GetDeploymentAsync(started.Id)).Steps.Any(s => s.Action == DeploymentStepAction.Healthy), TimeSpan.FromSeconds(60), "the first batch");

        var cancel = await Deployer.PostAsync($"/api/deployments/{started.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var ended = await WaitDeploymentAsync(started.Id);

        Assert.Equal(DeploymentStatus.Cancelled, ended.Status);
        var replicas = await ReplicasAsync();
        Assert.Equal(4, replicas.Count);
        Assert.All(replicas, r => Assert.Equal("running", r.Container.State));
        Assert.Equal(4, replicas.Select(r => r.Container.Labels[ReplicaLabels.Slot]).Distinct().Count());
        var replaced = replicas.Count(r => r.Container.Labels[ReplicaLabels.Release] == second.ToString());
        Assert.InRange(replaced, 1, 3); // the batch running when cancel came finished; the rest kept the old release
        Assert.Equal(replaced, ended.Steps.Count(s => s.Action == DeploymentStepAction.StopOld && !s.Failed));
    }

    [Fact]
    public async Task StopFirst_TakesAtMostMaxUnavailableReplicasDownAtOnce_WhateverTheParallelism()
    {
        var update = new { order = "StopFirst", parallelism = 3, maxUnavailable = 1, monitorSeconds = 0 };
        Succeeded(await DeployAsync(await ReleaseAsync(WebImage("1"), Runtime(3, update))));
        var rollout = Succeeded(await DeployAsync(await ReleaseAsync(WebImage("2"), Runtime(3, update))));

        // One slot at a time: each slot's old replica stops only after the previous slot's new one is healthy.
        var slots = rollout.Steps.Where(s => s.Slot is not null).GroupBy(s => s.Slot!.Value).OrderBy(g => g.Min(s => s.At)).ToList();
        Assert.Equal(3, slots.Count);
        for (var i = 1; i < slots.Count; i++)
        {
            var previousHealthy = slots[i - 1].Single(s => s.Action == DeploymentStepAction.Healthy);
            var stop = slots[i].Single(s => s.Action == DeploymentStepAction.StopOld);
            Assert.True(stop.At >= previousHealthy.At + previousHealthy.Duration!.Value, $"slot {slots[i].Key} stopped its old replica before slot {slots[i - 1].Key}'s new one was healthy");
        }
    }

    [Fact]
    public async Task Cancel_DuringALongDelayBetweenBatches_EndsTheRolloutWithoutWaitingItOut()
    {
        var update = new { parallelism = 1, monitorSeconds = 0, delaySeconds = 3600 };
        Succeeded(await DeployAsync(await ReleaseAsync(WebImage("1"), Runtime(2, new { monitorSeconds = 0 }))));
        var second = await ReleaseAsync(WebImage("2"), Runtime(2, update));
        var started = await StartDeployAsync(second);
        await LabContainers.WaitUntilAsync(async () => (await GetDeploymentAsync(started.Id)).Steps.Any(s => s.Action == DeploymentStepAction.RemoveOld && s.Duration is not null),
            TimeSpan.FromSeconds(60), "the first batch to end");

        var cancel = await Deployer.PostAsync($"/api/deployments/{started.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var ended = await WaitDeploymentAsync(started.Id, seconds: 60); // the hour's delay would outlast this wait

        Assert.Equal(DeploymentStatus.Cancelled, ended.Status);
        var replicas = await ReplicasAsync();
        Assert.Equal(2, replicas.Count);
        Assert.Equal(1, replicas.Count(r => r.Container.Labels[ReplicaLabels.Release] == second.ToString()));
    }

    [Fact]
    public async Task FixedPort_GoesStopFirst_DrainingAndStoppingTheOldReplicaBeforeTheNewOneStarts()
    {
        var update = new { maxUnavailable = 1, monitorSeconds = 1 };
        Succeeded(await DeployAsync(await ReleaseAsync(WebImage("1"), Runtime(1, update, drain: 1, fixedPort: true))));
        var rollout = Succeeded(await DeployAsync(await ReleaseAsync(WebImage("2"), Runtime(1, update, drain: 1, fixedPort: true))));

        var order = rollout.Steps.Where(s => s.Slot == 0).OrderBy(s => s.Id).Select(s => s.Action).ToList();
        Assert.Equal([DeploymentStepAction.Drain, DeploymentStepAction.StopOld, DeploymentStepAction.RemoveOld, DeploymentStepAction.Create, DeploymentStepAction.Start, DeploymentStepAction.Healthy], order);
        // Measured, not slept: nobody is connected to the old replica, so its drain ends at once rather than after the 1 s bound.
        Assert.StartsWith("idle after", rollout.Steps.Single(s => s.Action == DeploymentStepAction.Drain).Detail, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal($"{Unique}-2", (await http.GetStringAsync($"http://127.0.0.1:{_ports}/version")).Trim());
        Assert.Single(await ReplicasAsync());
    }

    [Fact]
    public async Task DelayBetweenBatches_SeparatesOneBatchsEndFromTheNextOnesStart()
    {
        var update = new { parallelism = 1, monitorSeconds = 0, delaySeconds = 2 };
        Succeeded(await DeployAsync(await ReleaseAsync(WebImage("1"), Runtime(2, update))));
        var rollout = Succeeded(await DeployAsync(await ReleaseAsync(WebImage("2"), Runtime(2, update))));

        var firstBatchEnd = rollout.Steps.Where(s => s.Slot == 0).Max(s => s.At + s.Duration!.Value);
        var secondBatchStart = rollout.Steps.Where(s => s.Slot == 1).Min(s => s.At);
        Assert.True(secondBatchStart - firstBatchEnd >= TimeSpan.FromSeconds(1.9), $"the next batch began {(secondBatchStart - firstBatchEnd).TotalSeconds:0.00} s after the last one ended");
        Assert.Equal(2, rollout.Steps.Count(s => s.Action == DeploymentStepAction.StopOld && !s.Failed));
    }

    [Fact]
    public async Task FailureActionPause_LeavesTheFailedRolloutWhereItStopped_WithoutRestoringAnything()
    {
        var update = new { parallelism = 1, monitorSeconds = 1, failureAction = "Pause" };
        var good = await ReleaseAsync(WebImage("1"), Runtime(2, update));
        Succeeded(await DeployAsync(good));
        var broken = await ReleaseAsync(WebImage("2", "ENTRYPOINT [\"/bin/sh\", \"-c\", \"exit 4\"]"), Runtime(2, update));

        var paused = await DeployAsync(broken);

        Assert.Equal(DeploymentStatus.Paused, paused.Status);
        Assert.Contains("exited with code 4", paused.Reason, StringComparison.Ordinal);
        Assert.Contains("Paused as the update policy says", paused.Reason, StringComparison.Ordinal);
        Assert.Equal(1, paused.Steps.Count(s => s.Action == DeploymentStepAction.Create));
        Assert.DoesNotContain(paused.Steps, s => s.Action == DeploymentStepAction.StopOld);
        var replicas = await ReplicasAsync();
        Assert.Equal(2, replicas.Count);
        Assert.All(replicas, r => Assert.Equal((good.ToString(), "running"), (r.Container.Labels[ReplicaLabels.Release], r.Container.State)));
    }

    private async Task<Deployment> GetDeploymentAsync(Guid id) =>
        (await Deployer.GetFromJsonAsync<Deployment>($"/api/deployments/{id}", Json))!;
}
