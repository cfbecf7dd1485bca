using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A service whose images another CI pushes to the registry: it is defined without a repository, released by tag
/// and deployed like any other, and asking the panel to build it is refused by name.
/// </summary>
public sealed class ImageOnlyServiceTests : DeployTestBase
{
    [Fact]
    public async Task AServiceWithoutARepository_IsReleasedByTag_AndDeployed_ButNotBuilt()
    {
        var port = LabContainers.NextPort();
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new { nodes = new[] { Lab.SharedNodes[0].Name }, ports = new[] { new { name = "PORT", @fixed = port } } },
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var service = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}");
        Assert.Equal(JsonValueKind.Null, service.GetProperty("build").GetProperty("repositoryUrl").ValueKind);

        var build = await Deployer.PostAsJsonAsync($"/api/services/{Service}/builds", new { node = Lab.SharedNodes[0].Name });
        Assert.Equal(HttpStatusCode.BadRequest, build.StatusCode);
        var problem = await build.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("repositoryUrl", out _), problem.ToString());
        Assert.Empty((await Deployer.GetFromJsonAsync<JsonElement>($"/api/builds?service={Service}")).EnumerateArray());

        var release = await Deployer.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" });
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
        var number = (await release.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
        Succeeded(await DeployAsync(number));
        var replica = Assert.Single(await ReplicasAsync());
        Assert.Equal(("running", number.ToString()), (replica.Container.State, replica.Container.Labels[ReplicaLabels.Release]));
    }
}
