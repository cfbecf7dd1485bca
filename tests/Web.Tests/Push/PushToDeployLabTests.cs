using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests.Push;

/// <summary>
/// The whole path on the lab: a signed push to the service's branch of a real git repository → the panel's pipeline
/// queue builds the pushed commit, releases it by digest and deploys it to every shared node.
/// </summary>
public sealed class PushToDeployLabTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(20);
    private HttpClient GitHost => _gitHost ??= Factory.CreateClient();
    private HttpClient? _gitHost;

    private object Runtime() => new
    {
        nodes = Lab.SharedNodes.Select(n => n.Name).ToArray(),
        replicasPerNode = 1,
        ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 19 } },
        update = new { parallelism = 3, monitorSeconds = 0, progressDeadlineSeconds = 60 },
    };

    [Fact]
    public async Task SignedGitHubPush_BuildsReleasesAndDeploysThePushedCommit_ToEveryReplica()
    {
        var secret = await DefineWithHookAsync();
        var head = Repo.Write("Dockerfile", WebImage("pushed")).Commit("the pushed change");

        var response = await GitHubDeliveries.SendAsync(GitHost, Service, GitHubDeliveries.Push("refs/heads/main", head, "octocat"), secret, "lab-1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var pipeline = await WaitPipelineAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pipelineId").GetGuid());
        Assert.True(pipeline.Status == PipelineStatus.Succeeded, $"{pipeline.Status} at {pipeline.FailedStage}: {pipeline.Message}");
        Assert.Equal((PipelineTrigger.Push, "octocat (push)", head), (pipeline.Trigger, pipeline.TriggeredBy, pipeline.Commit));
        await AssertEveryReplicaServesAsync(pipeline.ReleaseNumber!.Value, "pushed");
        var detail = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/push-hook/deliveries/lab-1");
        Assert.Equal("Succeeded", detail.GetProperty("pipelineStatus").GetString());
    }

    [Fact]
    public async Task ThreeQuickPushes_SupersedeTheWaitingOne_AndDeployTheNewestCommitExactlyOnce()
    {
        var secret = await DefineWithHookAsync();
        var pipelineIds = new List<Guid>();
        foreach (var version in new[] { "first", "middle", "newest" })
        {
            var commit = Repo.Write("Dockerfile", WebImage(version)).Commit($"{version} push");
            var response = await GitHubDeliveries.SendAsync(GitHost, Service, GitHubDeliveries.Push("refs/heads/main", commit), secret, $"quick-{version}");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            pipelineIds.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pipelineId").GetGuid());
        }

        var first = await WaitPipelineAsync(pipelineIds[0]);
        var middle = await WaitPipelineAsync(pipelineIds[1]);
        var newest = await WaitPipelineAsync(pipelineIds[2]);

        // The first runs at once; the middle waits behind it until the newest, sent right after, replaces it.
        Assert.Contains(first.Status, new[] { PipelineStatus.Succeeded, PipelineStatus.Superseded });
        Assert.True(middle.Status == PipelineStatus.Superseded, $"the middle push ended {middle.Status}: {middle.Message}");
        Assert.Null(middle.ReleaseNumber);
        Assert.True(newest.Status == PipelineStatus.Succeeded, $"{newest.Status} at {newest.FailedStage}: {newest.Message}");
        var deployments = (await Deployer.GetFromJsonAsync<JsonElement[]>($"/api/deployments?service={Service}"))!;
        Assert.Single(deployments, d => d.GetProperty("release").GetInt32() == newest.ReleaseNumber);
        await AssertEveryReplicaServesAsync(newest.ReleaseNumber!.Value, "newest");
    }

    /// <summary>The service built from the test's repository with a runtime on every shared node, and a push hook with auto-deploy on.</summary>
    private async Task<string> DefineWithHookAsync()
    {
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = Repo.Path, branch = "main", registry = "lab", imageRepository = $"tests/{Service}", runtime = Runtime(),
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var hook = await Deployer.PutAsJsonAsync($"/api/services/{Service}/push-hook", new { autoDeploy = true });
        Assert.True(hook.IsSuccessStatusCode, await hook.Content.ReadAsStringAsync());
        return (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    private async Task<Pipeline> WaitPipelineAsync(Guid id)
    {
        var store = Factory.Services.GetRequiredService<IPipelineStore>();
        Pipeline? pipeline = null;
        await LabContainers.WaitUntilAsync(async () => (pipeline = await store.FindAsync(id, default)) is { IsFinished: true }, TimeSpan.FromSeconds(240), $"pipeline {id} to end");
        return pipeline!;
    }

    private async Task AssertEveryReplicaServesAsync(int release, string version)
    {
        var replicas = await ReplicasAsync();
        Assert.Equal(Lab.SharedNodes.Count, replicas.Count);
        using var http = new HttpClient();
        foreach (var (_, c) in replicas)
        {
            Assert.Equal(release.ToString(), c.Labels[ReplicaLabels.Release]);
            Assert.Equal($"{Unique}-{version}", (await http.GetStringAsync($"http://127.0.0.1:{c.Labels[ReplicaLabels.PortPrefix + "PORT"]}/version")).Trim());
        }
    }
}
