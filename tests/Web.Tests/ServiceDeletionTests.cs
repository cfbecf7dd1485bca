using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// DELETE /api/services/{name} against the lab: the replicas are stopped and removed on every node, the service
/// leaves the list but its history stays, nothing of it can be deployed again, and a running deployment is not cut.
/// </summary>
public sealed class ServiceDeletionTests : DeployTestBase
{
    private async Task<int> ReleaseImageAsync(object update)
    {
        var ports = LabContainers.NextPorts(6);
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new { nodes = Lab.SharedNodes.Take(2).Select(n => n.Name).ToArray(), ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 5 } }, update },
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var release = await Deployer.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" });
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
        return (await release.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
    }

    [Fact]
    public async Task DeletingAService_StopsAndRemovesEveryReplica_KeepsItsHistory_AndRefusesNewDeploys()
    {
        var release = await ReleaseImageAsync(new { monitorSeconds = 0 });
        Succeeded(await DeployAsync(release));
        Assert.Equal(2, (await ReplicasAsync()).Count);

        var response = await Deployer.DeleteAsync($"/api/services/{Service}");

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((2, 0) == (result.GetProperty("stopped").GetArrayLength(), result.GetProperty("remaining").GetArrayLength()), result.ToString());
        Assert.Empty(await ReplicasAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{Service}")).StatusCode);
        Assert.DoesNotContain((await Deployer.GetFromJsonAsync<JsonElement>("/api/services")).EnumerateArray(), s => s.GetProperty("name").GetString() == Service);

        var revisions = (await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/revisions")).EnumerateArray().ToList();
        Assert.Equal([true, false], revisions.Select(r => r.GetProperty("deleted").GetBoolean()));
        Assert.Single((await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}/releases")).EnumerateArray());
        Assert.Single((await Deployer.GetFromJsonAsync<JsonElement>($"/api/deployments?service={Service}")).EnumerateArray());
        var redeploy = await Deployer.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release });
        Assert.Equal(HttpStatusCode.NotFound, redeploy.StatusCode);
        var audit = (await Admin.GetFromJsonAsync<JsonElement>($"/api/audit?action=service.delete&text={Service}")).EnumerateArray().ToList();
        Assert.True(Assert.Single(audit).GetProperty("succeeded").GetBoolean());

        // Defining the name again continues its history instead of starting over.
        var again = await ReleaseImageAsync(new { monitorSeconds = 0 });
        var redefined = await Deployer.GetFromJsonAsync<JsonElement>($"/api/services/{Service}");
        Assert.Equal((2, 3, false), (again, redefined.GetProperty("revision").GetInt32(), redefined.GetProperty("deleted").GetBoolean()));
    }

    [Fact]
    public async Task DeletingAServiceWhileItDeploys_IsRefusedNamingTheDeployment_AndStopsNothing()
    {
        var first = await ReleaseImageAsync(new { monitorSeconds = 0 });
        Succeeded(await DeployAsync(first));
        var second = await ReleaseImageAsync(new { monitorSeconds = 60 });
        var running = await StartDeployAsync(second);

        var response = await Deployer.DeleteAsync($"/api/services/{Service}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(running.Id, problem.GetProperty("deployment").GetGuid());
        Assert.True((await Deployer.GetAsync($"/api/services/{Service}")).IsSuccessStatusCode);
        Assert.True((await Deployer.PostAsync($"/api/deployments/{running.Id}/cancel", null)).IsSuccessStatusCode);
        await WaitDeploymentAsync(running.Id);
        Assert.NotEmpty(await ReplicasAsync());
    }

    [Fact]
    public async Task DeletingAServiceThatIsNotDefined_Is404()
    {
        var response = await Deployer.DeleteAsync($"/api/services/never-{Unique}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
