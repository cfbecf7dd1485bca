using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.Web.Tests;

/// <summary>
/// Releases built from real git repositories by the panel itself (FROM the lab's images), deployed to the three
/// shared lab nodes through the API, with the service's containers read straight from the engines.
/// </summary>
public abstract class DeployTestBase : BuildTestBase
{
    protected string Service => $"dep-{Unique}";
    protected LabContainers Engines { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Repo.Write("Dockerfile", "FROM scratch\n").Commit("empty");
    }

    /// <summary>Commits <paramref name="dockerfile"/>, saves <paramref name="runtime"/> as the service's runtime spec, builds, and makes a release of the image.</summary>
    protected async Task<int> ReleaseAsync(string dockerfile, object runtime)
    {
        Repo.Write("Dockerfile", dockerfile).Commit("release " + Guid.NewGuid().ToString("N")[..6]);
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{Service}", runtime,
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var build = await BuildAsync(Service);
        Assert.True(build.Status is Core.Builds.BuildStatus.Succeeded or Core.Builds.BuildStatus.Reused, build.Error);
        var release = await Deployer.PostAsJsonAsync($"/api/services/{Service}/releases", new { build = build.Id });
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
        return (await release.Content.ReadFromJsonAsync<Api.ReleaseDto>(Json))!.Number;
    }

    /// <summary>Saves <paramref name="service"/> as released from <paramref name="repository"/> of the lab registry by tag (no build), with <paramref name="runtime"/>.</summary>
    protected async Task SaveAsync(string service, string repository, object runtime)
    {
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{service}", new { registry = "lab", imageRepository = repository, runtime });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
    }

    /// <summary>Makes a release of <paramref name="service"/> from an image tag; returns its number.</summary>
    protected async Task<int> ReleaseTagAsync(string service, string tag)
    {
        var release = await Deployer.PostAsJsonAsync($"/api/services/{service}/releases", new { tag });
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
        return (await release.Content.ReadFromJsonAsync<Api.ReleaseDto>(Json))!.Number;
    }

    protected async Task<Deployment> StartDeployAsync(int release)
    {
        var response = await Deployer.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Deployment>(Json))!;
    }

    protected async Task<Deployment> WaitDeploymentAsync(Guid id, int seconds = 180)
    {
        Deployment deployment = default!;
        await LabContainers.WaitUntilAsync(async () => (deployment = (await Deployer.GetFromJsonAsync<Deployment>($"/api/deployments/{id}", Json))!).IsFinished,
            TimeSpan.FromSeconds(seconds), $"deployment {id} to end");
        return deployment;
    }

    protected async Task<Deployment> DeployAsync(int release) => await WaitDeploymentAsync((await StartDeployAsync(release)).Id);

    /// <summary>Asserts success, saying why not: the reason and the failed steps.</summary>
    protected static Deployment Succeeded(Deployment d)
    {
        Assert.True(d.Status == DeploymentStatus.Succeeded,
            $"{d.Status}: {d.Reason} | failed steps: {string.Join("; ", d.Steps.Where(s => s.Failed).Select(s => $"{s.Node}/{s.Slot} {s.Action}: {s.Detail}"))}");
        return d;
    }

    /// <summary>The service's containers on the shared nodes, straight from the engines.</summary>
    protected Task<List<(string Node, ContainerListResponse Container)>> ReplicasAsync() => Engines.ServiceReplicasAsync(Service);

    /// <summary>A web image (busybox httpd answering /health and /version) whose version is <paramref name="version"/>.</summary>
    protected string WebImage(string version, params string[] more) =>
        Dockerfile([$"ENV VERSION={Unique}-{version}", .. more]).Replace($"FROM {Lab.Image("busybox")}", $"FROM {Lab.Image("web")}");

    public override async Task DisposeAsync()
    {
        foreach (var (node, c) in await ReplicasAsync())
            await Engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
        await Engines.DisposeAsync();
        await base.DisposeAsync();
    }
}
