using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Two panel instances sharing one PostgreSQL: a service is deployed by exactly one at a time.</summary>
public sealed class DeploymentConcurrencyTests : IAsyncLifetime
{
    private LabDatabase _database = default!;
    private PanelFactory _a = default!;
    private PanelFactory _b = default!;
    private readonly GitTestRepository _repo = new();
    private readonly string _service = "twin-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        _database = await LabDatabase.CreateAsync();
        _a = new PanelFactory(_database.ConnectionString);
        _b = new PanelFactory(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await using (var engines = new LabContainers())
            foreach (var node in Lab.SharedNodes)
                foreach (var c in await engines.Client(node).Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true }))
                    if (c.Labels.TryGetValue(ReplicaLabels.Service, out var s) && s == _service)
                        await engines.Client(node).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _database.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task TwoInstancesDeployingOneServiceAtOnce_ExactlyOneRuns_TheOtherNamesIt()
    {
        var a = await _a.CreateClientAsync(Core.Security.Role.Admin);
        var b = await _b.CreateClientAsync(Core.Security.Role.Admin);
        var ports = LabContainers.NextPorts(10);
        _repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\nENV VERSION={_service}\n").Commit("twin");
        (await a.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await a.PutAsJsonAsync($"/api/services/{_service}", new
        {
            repositoryUrl = _repo.Path, registry = "lab", imageRepository = $"tests/{_service}",
            runtime = new { nodes = new[] { "node1", "node2" }, ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 9 } } },
        })).EnsureSuccessStatusCode();
        var build = await (await a.PostAsJsonAsync($"/api/services/{_service}/builds", new { node = "node1" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var buildId = build.GetProperty("id").GetGuid();
        await LabContainers.WaitUntilAsync(async () => (await a.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/builds/{buildId}")).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(90), "the build");
        (await a.PostAsJsonAsync($"/api/services/{_service}/releases", new { build = buildId })).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(
            a.PostAsJsonAsync($"/api/services/{_service}/deployments", new { release = 1 }),
            b.PostAsJsonAsync($"/api/services/{_service}/deployments", new { release = 1 }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        var refused = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("already being deployed by", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var deployments = await b.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/deployments?service={_service}");
        Assert.Single(deployments!);
        var id = deployments![0].GetProperty("id").GetGuid();
        await LabContainers.WaitUntilAsync(async () => (await b.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/deployments/{id}")).GetProperty("status").GetString() != "Running",
            TimeSpan.FromSeconds(120), "the deployment");
        Assert.Equal("Succeeded", (await a.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/deployments/{id}")).GetProperty("status").GetString());
        // The lock is released: the next deployment may start (and changes nothing).
        var next = await b.PostAsJsonAsync($"/api/services/{_service}/deployments", new { release = 1 });
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }
}
