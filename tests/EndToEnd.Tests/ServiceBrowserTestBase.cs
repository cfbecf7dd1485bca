using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>A browser test with a service of its own: a git repository for it, and its replicas removed afterwards.</summary>
public abstract class ServiceBrowserTestBase(string servicePrefix) : BrowserTestBase
{
    protected GitTestRepository Repo { get; } = new();
    protected string Service { get; } = servicePrefix + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Saves the service as the lab's web image on node1 (a port from a range) and deploys release 1 of it through the API; returns its replica.</summary>
    protected async Task<Docker.DotNet.Models.ContainerListResponse> DeployLabWebAsync(HttpClient admin) => Assert.Single(await DeployLabWebAsync(admin, 1)).Container;

    /// <summary>The same with <paramref name="replicasPerNode"/> replicas on node1; returns them.</summary>
    protected async Task<List<(string Node, Docker.DotNet.Models.ContainerListResponse Container)>> DeployLabWebAsync(HttpClient admin, int replicasPerNode)
    {
        var ports = LabContainers.NextPorts(4);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            registry = "lab", imageRepository = "lab/web",
            runtime = new { nodes = new[] { "node1" }, replicasPerNode, ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 3 } }, update = new { monitorSeconds = 0 } },
        })).EnsureSuccessStatusCode();
        var release = await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>();
        var deployment = await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release = release.GetProperty("number").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
        await LabContainers.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/deployments/{deployment.GetProperty("id").GetGuid()}")).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(90), "the first deployment");
        return await Containers.ServiceReplicasAsync(Service);
    }

    public override async Task DisposeAsync()
    {
        foreach (var (node, c) in await Containers.ServiceReplicasAsync(Service))
            await Containers.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        await base.DisposeAsync();
        Repo.Dispose();
    }
}
