using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace ControlPanel.Web.Tests;

/// <summary>Health-gated rolling deploys on the three lab nodes; each test asserts counts and final states.</summary>
public sealed class DeploymentTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(20);

    private object Runtime(int replicas = 2, int parallelism = 1, int deadline = 30, string signal = "SIGTERM", int stopTimeout = 5, object[]? env = null) => new
    {
        nodes = Lab.SharedNodes.Select(n => n.Name).ToArray(),
        replicasPerNode = replicas,
        ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 19 } },
        environment = env ?? [],
        stopSignal = signal,
        stopTimeoutSeconds = stopTimeout,
        update = new { parallelism, monitorSeconds = 1, progressDeadlineSeconds = deadline, failureAction = "Rollback" },
    };

    [Fact]
    public async Task HappyPath_StartFirst_ReplacesEveryReplica_AndHealthyNeverDropsBelowTheReplicaCount()
    {
        var first = await ReleaseAsync(WebImage("1"), Runtime());
        Succeeded(await DeployAsync(first));
        Assert.Equal(6, (await ReplicasAsync()).Count(r => r.Container.State == "running"));

        var second = await ReleaseAsync(WebImage("2"), Runtime());
        var samples = new List<int>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                samples.Add((await ReplicasAsync()).Count(r => r.Container.State == "running" && r.Container.Status.Contains("(healthy)", StringComparison.Ordinal)));
                await Task.Delay(100);
            }
        });
        var rollout = await DeployAsync(second);
        await sampling.CancelAsync();
        await sampler;

        Succeeded(rollout);
        var replicas = await ReplicasAsync();
        Assert.Equal(6, replicas.Count);
        Assert.All(replicas, r => Assert.Equal(second.ToString(), r.Container.Labels[ReplicaLabels.Release]));
        Assert.All(replicas, r => Assert.Equal("running", r.Container.State));
        Assert.True(samples.Count > 10, $"only {samples.Count} samples");
        Assert.True(samples.Min() >= 6, $"healthy replicas fell to {samples.Min()} (max unavailable 0)");
        Assert.Equal(6, rollout.Steps.Count(s => s.Action == DeploymentStepAction.StopOld && !s.Failed));
        Assert.Equal(3, rollout.Steps.Count(s => s.Action == DeploymentStepAction.Pull));
        foreach (var (node, c) in replicas) // each replica answers on its own port with the new version
        {
            using var http = new HttpClient();
            Assert.Equal($"{Unique}-2", (await http.GetStringAsync($"http://127.0.0.1:{c.Labels[ReplicaLabels.PortPrefix + "PORT"]}/version")).Trim());
        }

        var again = await FollowOverHubAsync(await StartDeployAsync(second));
        Assert.Equal(DeploymentStatus.NoOp, again.Status);
        Assert.Contains("already runs on every node", again.Reason, StringComparison.Ordinal);
        Assert.Empty(again.Steps);
    }

    [Fact]
    public async Task Steps_InTheApi_KeepTheImageTheReplicaNameAndTheContainerIdInFieldsOfTheirOwn()
    {
        var deployed = Succeeded(await DeployAsync(await ReleaseAsync(WebImage("1"), Runtime(replicas: 1))));

        using var json = System.Text.Json.JsonDocument.Parse(await Deployer.GetStringAsync($"/api/deployments/{deployed.Id}"));
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        static string? Field(System.Text.Json.JsonElement step, string name) => step.GetProperty(name).GetString();
        var pulls = steps.Where(s => Field(s, "action") == "pull").ToList();
        Assert.Equal(3, pulls.Count);
        Assert.All(pulls, p => Assert.Matches("^127\\.0\\.0\\.1:[0-9]+/tests/.+@sha256:[0-9a-f]{64}$", Field(p, "image")));
        Assert.All(pulls, p => Assert.Null(Field(p, "containerId")));
        var replicas = await ReplicasAsync();
        var creates = steps.Where(s => Field(s, "action") == "create").ToList();
        Assert.Equal(3, creates.Count);
        foreach (var create in creates)
        {
            var (_, replica) = Assert.Single(replicas, r => r.Container.ID == Field(create, "containerId"));
            Assert.Equal(replica.Names[0].TrimStart('/'), Field(create, "containerName"));
            Assert.Equal(Field(pulls[0], "image"), Field(create, "image"));
            Assert.Null(Field(create, "detail"));
        }
        var acting = steps.Where(s => Field(s, "action") is "start" or "healthy").ToList();
        Assert.Equal(6, acting.Count);
        Assert.All(acting, s => Assert.Contains(replicas, r => r.Container.ID == Field(s, "containerId")));
        Assert.All(acting, s => Assert.Null(Field(s, "image")));
    }

    /// <summary>Follows a deployment over /hubs/deployments as a non-browser client would, to its end.</summary>
    private async Task<Deployment> FollowOverHubAsync(Deployment started)
    {
        var (viewer, _) = await Factory.CreateUserAsync(Core.Security.Role.Viewer);
        await using var hub = await TestHubs.ConnectAsync(Factory, Hubs.DeploymentsHub.Path, await Factory.CreateTokenAsync(viewer));
        var updates = new List<Deployment>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var d in hub.StreamAsync<Deployment>("Follow", started.Id, timeout.Token)) updates.Add(d);
        Assert.NotEmpty(updates);
        Assert.True(updates[^1].IsFinished);
        Assert.Single(updates, u => u.IsFinished);
        return updates[^1];
    }

    [Fact]
    public async Task NewImageWhoseEntrypointExits_IsRolledBack_AfterTouchingOnlyParallelismReplicas()
    {
        var good = await ReleaseAsync(WebImage("good"), Runtime(replicas: 1));
        Succeeded(await DeployAsync(good));
        var before = (await ReplicasAsync()).Select(r => r.Container.ID).ToHashSet();

        var broken = await ReleaseAsync(WebImage("broken", "ENTRYPOINT [\"/bin/sh\", \"-c\", \"echo crashing; exit 3\"]"), Runtime(replicas: 1));
        var rollout = await FollowOverHubAsync(await StartDeployAsync(broken));

        Assert.Equal(DeploymentStatus.RolledBack, rollout.Status);
        Assert.Contains("exited with code 3", rollout.Reason, StringComparison.Ordinal);
        Assert.Equal(1, rollout.Steps.Count(s => s.Action == DeploymentStepAction.Create)); // parallelism 1: one replica tried, none changed
        var after = await ReplicasAsync();
        Assert.Equal(3, after.Count);
        Assert.All(after, r => Assert.Equal(good.ToString(), r.Container.Labels[ReplicaLabels.Release]));
        Assert.Equal(before, after.Select(r => r.Container.ID).ToHashSet()); // start-first: the old replicas never stopped
    }

    [Fact]
    public async Task NewImageThatNeverBecomesHealthy_IsRolledBackAfterTheDeadline()
    {
        var good = await ReleaseAsync(WebImage("good"), Runtime(replicas: 1, deadline: 6));
        Succeeded(await DeployAsync(good));

        var sick = await ReleaseAsync(WebImage("sick", "ENV HEALTHY=0"), Runtime(replicas: 1, deadline: 6));
        var rollout = await DeployAsync(sick);

        Assert.Equal(DeploymentStatus.RolledBack, rollout.Status);
        Assert.True(rollout.Reason!.Contains("unhealthy", StringComparison.Ordinal) || rollout.Reason.Contains("not healthy within", StringComparison.Ordinal), rollout.Reason);
        var after = await ReplicasAsync();
        Assert.Equal(3, after.Count); // one per node: the sick replica was removed, the good ones never stopped
        Assert.All(after, r => Assert.Equal(good.ToString(), r.Container.Labels[ReplicaLabels.Release]));
        Assert.Single(rollout.Steps, s => s.Action == DeploymentStepAction.RemoveNew);
    }

    [Fact]
    public async Task StopSignal_SigquitStopsOldReplicasAtOnce_SigtermWaitsTheFullTimeout_AndTheHistoryShowsBoth()
    {
        static string SigquitImage(string v) => $"FROM {Lab.Image("sigquit")}\nENV V={v}\n";
        object Spec(string signal) => new
        {
            nodes = new[] { Lab.SharedNodes[0].Name }, replicasPerNode = 2, stopSignal = signal, stopTimeoutSeconds = 10,
            update = new { parallelism = 2, monitorSeconds = 0, progressDeadlineSeconds = 20 },
        };
        Succeeded(await DeployAsync(await ReleaseAsync(SigquitImage($"{Unique}-1"), Spec("SIGQUIT"))));
        var quit = await DeployAsync(await ReleaseAsync(SigquitImage($"{Unique}-2"), Spec("SIGTERM")));
        var term = await DeployAsync(await ReleaseAsync(SigquitImage($"{Unique}-3"), Spec("SIGTERM")));

        // Each container stops with the signal its own configuration was created with: release 1's with SIGQUIT.
        var quick = quit.Steps.Where(s => s.Action == DeploymentStepAction.StopOld).ToList();
        var slow = term.Steps.Where(s => s.Action == DeploymentStepAction.StopOld).ToList();
        Assert.Equal(2, quick.Count);
        Assert.Equal(2, slow.Count);
        // A 10 s stop timeout keeps the two far apart: SIGQUIT ends the process at once, SIGTERM is ignored until the engine's SIGKILL.
        Assert.All(quick, s => Assert.True(s.Duration < TimeSpan.FromSeconds(5), $"SIGQUIT stop took {s.Duration}"));
        Assert.All(slow, s => Assert.True(s.Duration >= TimeSpan.FromSeconds(9.9), $"SIGTERM stop took {s.Duration}"));
    }

    [Fact]
    public async Task SecondDeploymentOfTheService_IsRefused_NamingWhoHoldsIt()
    {
        var slow = await ReleaseAsync(WebImage("1"), Runtime(replicas: 1));
        var first = await StartDeployAsync(slow);
        var second = await Deployer.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release = slow });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadAsStringAsync();
        Assert.Contains("already being deployed by deployer-", problem, StringComparison.Ordinal);
        Assert.Equal(first.Id, System.Text.Json.JsonDocument.Parse(problem).RootElement.GetProperty("deployment").GetGuid());
        // An expected refusal is no failure of the panel: nothing at error level, no stack trace.
        Assert.DoesNotContain(Factory.Logs.Lines, l => (l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal))
            && (l.Contains("DeploymentInProgressException", StringComparison.Ordinal) || l.Contains("deployment_locks", StringComparison.Ordinal)));
        Assert.Equal(DeploymentStatus.Succeeded, (await WaitDeploymentAsync(first.Id)).Status);
        var list = await Deployer.GetFromJsonAsync<List<Deployment>>($"/api/deployments?service={Service}", Json);
        Assert.Single(list!);
    }

    [Fact]
    public async Task ManualRollback_RestoresThePreviousImageAndEnvironment()
    {
        object[] Env(string value) => [new { name = "GREETING", value }, new { name = "TOKEN", value = "secret-" + value, secret = true }];
        var first = await ReleaseAsync(WebImage("1"), Runtime(replicas: 1, env: Env("hello")));
        Succeeded(await DeployAsync(first));
        var second = await ReleaseAsync(WebImage("2"), Runtime(replicas: 1, env: Env("bonjour")));
        Succeeded(await DeployAsync(second));

        var response = await Deployer.PostAsync($"/api/services/{Service}/rollback", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var rollback = await WaitDeploymentAsync((await response.Content.ReadFromJsonAsync<Deployment>(Json))!.Id);

        Assert.Equal((DeploymentStatus.Succeeded, first), (rollback.Status, rollback.Release));
        var restored = await ReplicasAsync();
        Assert.Equal(3, restored.Count); // one per node
        foreach (var (node, c) in restored)
        {
            Assert.Equal(first.ToString(), c.Labels[ReplicaLabels.Release]);
            var env = (await Engines.InspectAsync(Lab.SharedNodes.Single(n => n.Name == node), c.ID)).Config!.Env;
            Assert.Contains("GREETING=hello", env);
            Assert.Contains("TOKEN=secret-hello", env); // decrypted only into the container
        }
        var releases = await Deployer.GetStringAsync($"/api/services/{Service}/releases");
        Assert.DoesNotContain("secret-hello", releases, StringComparison.Ordinal);
        var tags = await Deployer.GetStringAsync($"/api/registries/lab/tags?repository=tests/{Service}");
        Assert.Contains($"\"service\":\"{Service}\",\"number\":{first}", tags, StringComparison.Ordinal); // the registry browser names the releases using each image
        var diff = await Deployer.GetStringAsync($"/api/services/{Service}/releases/diff?from={first}&to={second}");
        var fields = System.Text.Json.JsonDocument.Parse(diff).RootElement.EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains("environment › GREETING", fields);
        Assert.DoesNotContain("secret-", diff, StringComparison.Ordinal);
    }
}
