using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Build → release → deploy as one pipeline through the API, against the lab's engines, registry and a local git repository.</summary>
public sealed class PipelinesApiTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(10);

    private object Runtime() => new
    {
        nodes = new[] { Lab.SharedNodes[0].Name, Lab.SharedNodes[1].Name }, replicasPerNode = 1,
        ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 } },
        update = new { monitorSeconds = 0, failureAction = "Rollback" },
    };

    private async Task DefineAsync(string dockerfile)
    {
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new { repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{Service}", runtime = Runtime() });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        Repo.Write("Dockerfile", dockerfile);
    }

    private async Task<Pipeline> StartAsync(object? body = null)
    {
        var response = await Deployer.PostAsJsonAsync($"/api/services/{Service}/pipelines", body ?? new { });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Pipeline>(Json))!;
    }

    private async Task<Pipeline> WaitAsync(Guid id)
    {
        Pipeline pipeline = default!;
        await LabContainers.WaitUntilAsync(async () => (pipeline = (await Deployer.GetFromJsonAsync<Pipeline>($"/api/pipelines/{id}", Json))!).IsFinished,
            TimeSpan.FromSeconds(240), $"pipeline {id} to end");
        return pipeline;
    }

    [Fact]
    public async Task Pipeline_BuildsReleasesAndDeploysTheBranchHead_AndTheReplicasRunTheCommitsRelease()
    {
        await DefineAsync(WebImage("1"));
        var commit = Repo.Commit("one");

        var started = await StartAsync();
        var pipeline = await WaitAsync(started.Id);

        Assert.True(pipeline.Status == PipelineStatus.Succeeded, pipeline.Message);
        Assert.Equal((PipelineTrigger.Api, "main", commit), (pipeline.Trigger, pipeline.Revision, pipeline.Commit));
        Assert.All(pipeline.Stages, s => Assert.Equal(PipelineStageStatus.Succeeded, s.Status));
        Assert.All(pipeline.Stages, s => Assert.NotNull(s.Duration));
        var release = Assert.Single((await Deployer.GetFromJsonAsync<List<Api.ReleaseDto>>($"/api/services/{Service}/releases", Json))!);
        Assert.Equal((pipeline.BuildId, pipeline.ReleaseNumber), (release.BuildId, (int?)release.Number));
        var deployment = (await Deployer.GetFromJsonAsync<Deployment>($"/api/deployments/{pipeline.DeploymentId}", Json))!;
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        var replicas = await ReplicasAsync();
        Assert.Equal(2, replicas.Count);
        Assert.All(replicas, r => Assert.Equal(release.Number.ToString(), r.Container.Labels[ReplicaLabels.Release]));
        Assert.Equal(commit[..7], release.Tag);
        Assert.All(replicas, r => Assert.EndsWith("@" + release.Digest, r.Container.Image, StringComparison.Ordinal));

        var audit = (await Deployer.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?action=pipeline.start&text={Service}", Json))!;
        Assert.Contains("trigger=api", Assert.Single(audit).Detail, StringComparison.Ordinal);
        var ends = (await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/timeline?kind=PipelineSucceeded,PipelineFailed")).EnumerateArray().ToList();
        Assert.Equal("PipelineSucceeded", Assert.Single(ends).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task FailingBuild_StopsThePipelineAtBuild_WithNoRelease_AndReleaseAndDeploySkipped()
    {
        await DefineAsync(Dockerfile("RUN exit 1"));
        Repo.Commit("breaks");

        var pipeline = await WaitAsync((await StartAsync()).Id);

        Assert.Equal((PipelineStatus.Failed, (PipelineStageKind?)PipelineStageKind.Build), (pipeline.Status, pipeline.FailedStage));
        Assert.StartsWith("build failed in phase build", pipeline.Message, StringComparison.Ordinal);
        Assert.Equal(PipelineStageStatus.Failed, pipeline.Stage(PipelineStageKind.Build).Status);
        Assert.Equal(PipelineStageStatus.Skipped, pipeline.Stage(PipelineStageKind.Release).Status);
        Assert.Equal(PipelineStageStatus.Skipped, pipeline.Stage(PipelineStageKind.Deploy).Status);
        Assert.Null(pipeline.ReleaseNumber);
        Assert.Empty((await Deployer.GetFromJsonAsync<List<Api.ReleaseDto>>($"/api/services/{Service}/releases", Json))!);
        var ends = (await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/timeline?kind=PipelineSucceeded,PipelineFailed")).EnumerateArray().ToList();
        Assert.Equal("PipelineFailed", Assert.Single(ends).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task BuildOnly_SkipsReleaseAndDeploy_AndSucceedsAfterTheBuild()
    {
        await DefineAsync(WebImage("1"));
        Repo.Commit("one");

        var pipeline = await WaitAsync((await StartAsync(new { deploy = false })).Id);

        Assert.True(pipeline.Status == PipelineStatus.Succeeded, pipeline.Message);
        Assert.Equal(PipelineStageStatus.Succeeded, pipeline.Stage(PipelineStageKind.Build).Status);
        Assert.Equal(PipelineStageStatus.Skipped, pipeline.Stage(PipelineStageKind.Release).Status);
        Assert.Equal(PipelineStageStatus.Skipped, pipeline.Stage(PipelineStageKind.Deploy).Status);
        Assert.Empty((await Deployer.GetFromJsonAsync<List<Api.ReleaseDto>>($"/api/services/{Service}/releases", Json))!);
    }

    [Theory]
    [InlineData("""{"revision":"-x"}""", "revision")]
    [InlineData("""{"node":"no-such-node"}""", "node")]
    [InlineData("""{"deploy":"yes"}""", "$.deploy")]
    [InlineData("""{"branch":"main"}""", "$.branch")]
    public async Task Start_WithBadInput_Answers400NamingTheField_AndStartsNothing(string body, string field)
    {
        await DefineAsync(WebImage("1"));
        Repo.Commit("one");

        var response = await Deployer.PostAsync($"/api/services/{Service}/pipelines", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await Deployer.GetFromJsonAsync<List<Pipeline>>($"/api/services/{Service}/pipelines", Json))!);
    }

    [Fact]
    public async Task Start_ForAServiceWithoutRuntime_Answers400OnDeploy_ButBuildsOnly()
    {
        await DefineServiceAsync(Service);
        Repo.Write("Dockerfile", Dockerfile("RUN true")).Commit("one");

        var refused = await Deployer.PostAsJsonAsync($"/api/services/{Service}/pipelines", new { });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("\"deploy\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var buildOnly = await WaitAsync((await StartAsync(new { deploy = false })).Id);
        Assert.True(buildOnly.Status == PipelineStatus.Succeeded, buildOnly.Message);
    }

    [Fact]
    public async Task UnknownServiceOrPipeline_Answers404_AndABadLimit400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.PostAsJsonAsync("/api/services/no-such-service/pipelines", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/pipelines/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.PostAsync($"/api/pipelines/{Guid.NewGuid()}/cancel", null)).StatusCode);
        var limit = await Deployer.GetAsync($"/api/services/{Service}/pipelines?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.Contains("\"limit\"", await limit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_WhileItBuilds_CancelsTheBuild_AndTheLaterStages()
    {
        await DefineAsync(WebImage("1", "RUN sleep 30"));
        Repo.Commit("slow");
        var started = await StartAsync();
        await LabContainers.WaitUntilAsync(async () => (await Deployer.GetFromJsonAsync<Pipeline>($"/api/pipelines/{started.Id}", Json))!.BuildId is not null,
            TimeSpan.FromSeconds(30), "the build to start");

        var cancel = await Deployer.PostAsync($"/api/pipelines/{started.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var pipeline = await WaitAsync(started.Id);

        Assert.Equal(PipelineStatus.Cancelled, pipeline.Status);
        Assert.All(pipeline.Stages, s => Assert.Equal(PipelineStageStatus.Cancelled, s.Status));
        Assert.Equal(Core.Builds.BuildStatus.Cancelled, (await GetAsync(pipeline.BuildId!.Value)).Status);
        var again = await Deployer.PostAsync($"/api/pipelines/{started.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }
}
