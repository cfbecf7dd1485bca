using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>A release keeps the build it was made from; a rollback goes to a chosen healthy release and is audited as a rollback.</summary>
public sealed class ReleaseFromBuildAndRollbackTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(10);

    private object Runtime() => new
    {
        nodes = new[] { Lab.SharedNodes[0].Name }, replicasPerNode = 1,
        ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 } },
        update = new { monitorSeconds = 0, failureAction = "Rollback" },
    };

    [Fact]
    public async Task ReleaseOfABuild_KeepsTheBuildId_InTheApi_WhileATagReleaseHasNone()
    {
        Repo.Write("Dockerfile", WebImage("1")).Commit("one");
        (await Deployer.PutAsJsonAsync($"/api/services/{Service}", new { repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{Service}", runtime = Runtime() })).EnsureSuccessStatusCode();
        var build = await BuildAsync(Service);

        var made = await Deployer.PostAsJsonAsync($"/api/services/{Service}/releases", new { build = build.Id });
        Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
        var fromBuild = (await made.Content.ReadFromJsonAsync<Api.ReleaseDto>(Json))!;
        var byTag = await ReleaseTagAsync(Service, build.ShortSha!);

        Assert.Equal((build.Id, build.ShortSha), (fromBuild.BuildId, fromBuild.Tag));
        var listed = (await Deployer.GetFromJsonAsync<List<Api.ReleaseDto>>($"/api/services/{Service}/releases", Json))!;
        Assert.Equal(2, listed.Count);
        Assert.Equal(build.Id, listed.Single(r => r.Number == fromBuild.Number).BuildId);
        Assert.Null(listed.Single(r => r.Number == byTag).BuildId);
    }

    [Fact]
    public async Task RollbackToAChosenRelease_RunsIt_AndIsAuditedAsARollback_NotAPlainStart()
    {
        var first = await ReleaseAsync(WebImage("1"), Runtime());
        Succeeded(await DeployAsync(first));
        var second = await ReleaseAsync(WebImage("2"), Runtime());
        Succeeded(await DeployAsync(second));

        var never = await Deployer.PostAsJsonAsync($"/api/services/{Service}/rollback", new { release = 99 });
        Assert.Equal(HttpStatusCode.BadRequest, never.StatusCode);
        Assert.Contains("Release 99", await never.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var response = await Deployer.PostAsJsonAsync($"/api/services/{Service}/rollback", new { release = first });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var rollback = Succeeded(await WaitDeploymentAsync((await response.Content.ReadFromJsonAsync<Deployment>(Json))!.Id));

        Assert.Equal((first, (int?)second), (rollback.Release, rollback.PreviousRelease));
        Assert.All(await ReplicasAsync(), r => Assert.Equal(first.ToString(), r.Container.Labels[ReplicaLabels.Release]));
        var audit = (await Deployer.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?text={Service}", Json))!;
        var rolledBack = Assert.Single(audit, a => a.Action == "deployment.rollback");
        Assert.Equal(Service, rolledBack.Target);
        Assert.Contains($"from release {second} to release {first}", rolledBack.Detail, StringComparison.Ordinal);
        Assert.Equal(2, audit.Count(a => a.Action == "deployment.start")); // the two deploys, not the rollback
    }
}
