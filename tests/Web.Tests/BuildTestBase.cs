using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Builds;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Builds through the API against the lab: a Deployer's client, the lab registry configured, a git repository per test.</summary>
public abstract class BuildTestBase : IAsyncLifetime
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    protected PanelFactory Factory { get; } = new();
    protected GitTestRepository Repo { get; } = new();
    protected HttpClient Deployer { get; private set; } = default!;
    protected HttpClient Admin { get; private set; } = default!;
    /// <summary>Unique per test, so image repositories and cached layers of parallel tests never meet.</summary>
    protected string Unique { get; } = Guid.NewGuid().ToString("N")[..10];

    public virtual async Task InitializeAsync()
    {
        Deployer = await Factory.CreateClientAsync(Core.Security.Role.Deployer);
        Admin = await Factory.CreateClientAsync(Core.Security.Role.Admin);
        await SaveRegistryAsync("lab", $"http://{Lab.Current.Registry}");
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        Repo.Dispose();
    }

    protected async Task SaveRegistryAsync(string name, string url, string? user = null, string? password = null)
    {
        var response = await Admin.PutAsJsonAsync($"/api/registries/{name}", new { url, userName = user, password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    protected async Task DefineServiceAsync(string service, string registry = "lab", string dockerfile = "Dockerfile", string context = ".", Dictionary<string, string>? buildArgs = null)
    {
        var response = await Deployer.PutAsJsonAsync($"/api/services/{service}", new
        {
            repositoryUrl = Repo.Path, branch = "main", dockerfilePath = dockerfile, contextPath = context, buildArgs, registry, imageRepository = $"tests/{service}",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    protected async Task<Build> StartAsync(string service, string? revision = null, bool rebuild = false, string node = "node1", bool tagBranch = false)
    {
        var response = await Deployer.PostAsJsonAsync($"/api/services/{service}/builds", new { revision, node, rebuild, tagBranch });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Build>(Json))!;
    }

    protected async Task<Build> GetAsync(Guid id) => (await Deployer.GetFromJsonAsync<Build>($"/api/builds/{id}", Json))!;

    protected async Task<Build> WaitForEndAsync(Guid id, int seconds = 120)
    {
        Build build = default!;
        await LabContainers.WaitUntilAsync(async () => (build = await GetAsync(id)).IsFinished, TimeSpan.FromSeconds(seconds), $"build {id} to end");
        return build;
    }

    protected async Task<Build> BuildAsync(string service, string? revision = null, bool rebuild = false) =>
        await WaitForEndAsync((await StartAsync(service, revision, rebuild)).Id);

    /// <summary>A Dockerfile on the lab's busybox image (nothing can be pulled from the internet here).</summary>
    protected static string Dockerfile(params string[] steps) => $"FROM {Lab.Image("busybox")}\n" + string.Join('\n', steps) + "\n";
}
