using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>
/// A browser test over every page of the panel, each with something on it: a container, a registry, a service
/// (mounting a host folder, so that its pages show the host-path notice an Admin sees) with a build, a deployment and
/// a pipeline.
/// </summary>
public abstract class EveryPageTestBase : ServiceBrowserTestBase
{
    private readonly string _hostFolder = Directory.CreateTempSubdirectory("cp-pages-").FullName;

    protected EveryPageTestBase(string servicePrefix) : base(servicePrefix) => Panel.Settings["ControlPanel:HostMounts:AllowedPaths:0"] = _hostFolder;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_hostFolder, recursive: true);
    }

    /// <summary>The signed-in pages (paths), once their content exists.</summary>
    protected async Task<List<string>> PagesWithContentAsync()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "sigquit", "paint", stopSignal: "SIGQUIT");
        var ports = LabContainers.NextPorts(10);
        Repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\n").Commit("every page");
        using var admin = await Panel.CreateClientAsync(Role.Admin);
        (await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = Repo.Path, registry = "lab", imageRepository = "lab/web",
            runtime = new
            {
                nodes = new[] { node.Name }, ports = new[] { new { name = "PORT", rangeStart = ports, rangeEnd = ports + 9 } }, update = new { monitorSeconds = 0 },
                volumes = new[] { $"{_hostFolder}:/data" },
            },
        })).EnsureSuccessStatusCode();
        var build = await (await admin.PostAsJsonAsync($"/api/services/{Service}/builds", new { node = node.Name })).Content.ReadFromJsonAsync<JsonElement>();
        var release = (await (await admin.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
        var deployment = await (await admin.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release })).Content.ReadFromJsonAsync<JsonElement>();
        // Build only: the commit was built above, so the pipeline reuses that image and ends at once.
        var pipeline = await (await admin.PostAsJsonAsync($"/api/services/{Service}/pipelines", new { node = node.Name, deploy = false })).Content.ReadFromJsonAsync<JsonElement>();
        return
        [
            "/containers", "/top", "/nodes", $"/nodes/{node.Name}", $"/nodes/{node.Name}/containers/{id}", $"/logs?c={node.Name}/{id}",
            "/services", "/services/new", $"/services/{Service}", $"/builds/{build.GetProperty("id").GetGuid()}",
            $"/deployments/{deployment.GetProperty("id").GetGuid()}", $"/pipelines/{pipeline.GetProperty("id").GetGuid()}", "/registries", "/registries/lab",
            "/audit", "/users", "/tokens", "/webhooks",
        ];
    }
}
