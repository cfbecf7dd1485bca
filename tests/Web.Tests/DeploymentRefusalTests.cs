using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>What must be refused before anything starts, and a pull failure that stops nothing.</summary>
public sealed class DeploymentRefusalTests : DeployTestBase
{
    private readonly int _ports = LabContainers.NextPorts(10);

    [Theory]
    [InlineData("""{"replicasPerNode": -1}""", "runtime.replicasPerNode")]
    [InlineData("""{"ports": [{"name": "PORT", "rangeStart": 70000, "rangeEnd": 70010}]}""", "runtime.ports")]
    [InlineData("""{"nodes": ["node99"]}""", "runtime.nodes")]
    [InlineData("""{"nodeLabels": {"zone": "mars"}}""", "runtime.nodes")]
    [InlineData("""{"nodes": ["node1"], "replicasPerNode": 2, "ports": [{"name": "PORT", "fixed": 8080}]}""", "runtime.ports")]
    [InlineData("""{"nodes": ["node1"], "ports": [{"name": "PORT", "fixed": 8080}], "update": {"order": "StartFirst"}}""", "runtime.update.order")]
    [InlineData("""{"stopSignal": "SIGBOGUS"}""", "runtime.stopSignal")]
    [InlineData("""{"health": "Http"}""", "runtime.httpProbe")]
    [InlineData("""{"health": "Http", "httpProbe": {"path": "/health", "portName": "HTTP_PORT"}}""", "runtime.httpProbe.portName")]
    [InlineData("""{"health": "Http", "httpProbe": {"path": "health", "port": 8080}}""", "runtime.httpProbe.path")]
    [InlineData("""{"health": "Tcp"}""", "runtime.tcpProbe")]
    [InlineData("""{"health": "FastCgi", "fastCgiProbe": {"portName": "FPM_PORT"}}""", "runtime.fastCgiProbe.portName")]
    [InlineData("""{"health": "FastCgi", "fastCgiProbe": {"port": 9000, "path": "ping"}}""", "runtime.fastCgiProbe.path")]
    [InlineData("""{"nodes": ["node1"], "update": {"order": "StopFirst", "parallelism": 2, "maxUnavailable": 0}}""", "runtime.update.maxUnavailable")]
    [InlineData("""{"update": {"maxUnavailable": -1}}""", "runtime.update.maxUnavailable")]
    public async Task InvalidRuntimeSpec_IsRefused_NamingTheField(string runtime, string field)
    {
        var response = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = Repo.Path, registry = "lab", imageRepository = $"tests/{Service}", runtime = JsonDocument.Parse(runtime).RootElement,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem}");
        Assert.Equal(HttpStatusCode.NotFound, (await Deployer.GetAsync($"/api/services/{Service}")).StatusCode); // nothing stored
    }

    [Fact]
    public async Task ATagNotInTheRegistry_IsRefused_AndAnUnreachableNodeFailsTheDeploymentBeforeAnythingIsTouched()
    {
        var release = await ReleaseAsync(WebImage("1"), new { nodes = new[] { "node1", "broken" }, ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 } } });
        var missingTag = await Deployer.PostAsJsonAsync($"/api/services/{Service}/releases", new { tag = "no-such-tag" });
        Assert.Equal(HttpStatusCode.BadRequest, missingTag.StatusCode);
        Assert.Contains("Tag 'no-such-tag' is not in", await missingTag.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var deploy = await Deployer.PostAsJsonAsync($"/api/services/{Service}/deployments", new { release });

        Assert.Equal(HttpStatusCode.BadRequest, deploy.StatusCode);
        var problem = await deploy.Content.ReadAsStringAsync();
        Assert.Contains("node 'broken'", problem, StringComparison.Ordinal);
        Assert.Contains("Nothing was touched", problem, StringComparison.Ordinal);
        Assert.Empty(await ReplicasAsync());
        Assert.Empty((await Deployer.GetFromJsonAsync<List<Deployment>>($"/api/deployments?service={Service}", Json))!);
    }

    [Fact]
    public async Task RegistryStoppedBeforeDeploying_FailsThePull_AndStopsNoOldReplica()
    {
        var port = LabContainers.NextPorts(1);
        using var registry = TemporaryRegistry.Start(port);
        await SaveRegistryAsync("temporary", $"http://127.0.0.1:{port}");
        var runtime = new { nodes = Lab.SharedNodes.Select(n => n.Name).ToArray(), ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 9 } }, update = new { monitorSeconds = 0 } };
        var saved = await Deployer.PutAsJsonAsync($"/api/services/{Service}", new { repositoryUrl = Repo.Path, registry = "temporary", imageRepository = $"tests/{Service}", runtime });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var first = await ReleaseFromAsync(WebImage("1"));
        Succeeded(await DeployAsync(first));
        var running = (await ReplicasAsync()).Select(r => r.Container.ID).ToHashSet();
        Assert.Equal(Lab.SharedNodes.Count, running.Count); // one replica per node
        var second = await ReleaseFromAsync(WebImage("2"));

        registry.Dispose(); // the registry goes away before the deployment
        var failed = await DeployAsync(second);

        Assert.Equal(DeploymentStatus.Failed, failed.Status);
        Assert.Contains("Pulling", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("No replica was stopped", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(failed.Steps, s => s.Action is DeploymentStepAction.StopOld or DeploymentStepAction.Create);
        var after = await ReplicasAsync();
        Assert.Equal(running.Count, after.Count);
        Assert.Equal(running, after.Select(r => r.Container.ID).ToHashSet());
        Assert.All(after, r => Assert.Equal("running", r.Container.State));
    }

    private async Task<int> ReleaseFromAsync(string dockerfile)
    {
        Repo.Write("Dockerfile", dockerfile).Commit("r");
        var build = await BuildAsync(Service);
        Assert.Equal(Core.Builds.BuildStatus.Succeeded, build.Status);
        var release = await Deployer.PostAsJsonAsync($"/api/services/{Service}/releases", new { build = build.Id });
        Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
        return (await release.Content.ReadFromJsonAsync<Api.ReleaseDto>(Json))!.Number;
    }

    /// <summary>A Distribution registry of the test's own (the lab's binary), so stopping it disturbs no other test.</summary>
    private sealed class TemporaryRegistry : IDisposable
    {
        private readonly Process _process;
        private readonly string _folder;

        private TemporaryRegistry(Process process, string folder) => (_process, _folder) = (process, folder);

        public static TemporaryRegistry Start(int port)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"cp-registry-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "config.yml"),
                $"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {folder}/data\nhttp:\n  addr: 127.0.0.1:{port}\n");
            var process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", Path.Combine(folder, "config.yml")]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            using var http = new HttpClient();
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    if (http.GetAsync($"http://127.0.0.1:{port}/v2/").GetAwaiter().GetResult().IsSuccessStatusCode) return new TemporaryRegistry(process, folder);
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                Thread.Sleep(100);
            }
            process.Kill();
            throw new InvalidOperationException("the temporary registry did not start");
        }

        public void Dispose()
        {
            if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(); }
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }
    }
}
