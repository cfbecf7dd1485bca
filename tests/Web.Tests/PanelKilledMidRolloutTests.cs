using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Releases;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The panel process killed with SIGKILL in the middle of a rolling deploy, then started again on the same data:
/// the deployment ends interrupted (never "running" forever) and the panel finishes it by itself
/// (<see cref="DeploymentRecovery"/>): every slot ends with exactly one running replica of the release.
/// </summary>
public sealed class PanelKilledMidRolloutTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly string _service = "killed-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _ports = LabContainers.NextPorts(12);
    private readonly GitTestRepository _repo = new();
    private readonly LabContainers _engines = new();
    private readonly PanelProcess _panel = new(new Dictionary<string, string>
    {
        // Short, so that the restarted panel recognises the dead deployment within seconds.
        ["ControlPanel__Liveness__HeartbeatInterval"] = "00:00:01",
        ["ControlPanel__Liveness__AbandonedAfter"] = "00:00:04",
    });
    private HttpClient _api = default!;

    public async Task InitializeAsync()
    {
        await _panel.RunCommandAsync("correct horse battery staple", "admin", "create", "--user", "lead", "--password-stdin", "--role", "Admin");
        var token = await _panel.RunCommandAsync(null, "token", "create", "--user", "lead");
        _api = new HttpClient { BaseAddress = _panel.BaseAddress };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _repo.Write("Dockerfile", "FROM scratch\n").Commit("unused: releases here come from a tag");
    }

    [Fact]
    public async Task KilledMidRollout_RestartedPanelMarksItInterrupted_AndFinishesIt_EverySlotOneHealthyReplicaOfTheRelease()
    {
        await _panel.StartAsync();
        await Ok(_api.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" }));
        var first = await ReleaseAsync(version: "1", parallelism: 3);
        Assert.Equal(DeploymentStatus.Succeeded, (await WaitAsync(await DeployAsync(first), d => d.IsFinished)).Status);
        var second = await ReleaseAsync(version: "2", parallelism: 1);

        var doomed = await DeployAsync(second);
        // Killed while the second slot's new replica is being health-checked: old and new both run there.
        await WaitAsync(doomed, d => d.Steps.Count(s => s.Action == DeploymentStepAction.Healthy) >= 2);
        await _panel.KillAsync();
        Assert.True((await Engines()).Count(r => r.Container.State == "running") > 6, "the killed rollout should have left an old and a new replica running side by side");

        // Nobody redeploys: the restarted panel finishes the interrupted deployment by itself.
        await _panel.StartAsync();
        var interrupted = await WaitAsync(doomed, d => d.Steps.Any(s => s.Action == DeploymentStepAction.Resume), seconds: 60);

        Assert.Equal(DeploymentStatus.Interrupted, interrupted.Status);
        Assert.Contains("stopped mid-way", interrupted.Reason, StringComparison.Ordinal);
        var resume = interrupted.Steps.Single(s => s.Action == DeploymentStepAction.Resume);
        var finished = await WaitAsync(DeploymentRecovery.ResumedBy(resume) ?? throw new Xunit.Sdk.XunitException($"not resumed: {resume.Detail}"), d => d.IsFinished);
        Assert.True(finished.Status == DeploymentStatus.Succeeded, $"{finished.Status}: {finished.Reason}");
        Assert.Equal((second, "panel (resuming)"), (finished.Release, finished.StartedBy));
        var after = await Engines();
        Assert.Equal(6, after.Count);
        Assert.All(after, r => Assert.Equal((second.ToString(), "running"), (r.Container.Labels[ReplicaLabels.Release], r.Container.State)));
        Assert.Equal(6, after.Select(r => (r.Node, r.Container.Labels[ReplicaLabels.Slot])).Distinct().Count());
    }

    private async Task<int> ReleaseAsync(string version, int parallelism)
    {
        await Ok(_api.PutAsJsonAsync($"/api/services/{_service}", new
        {
            repositoryUrl = _repo.Path, registry = "lab", imageRepository = "lab/web",
            runtime = new
            {
                nodes = Lab.SharedNodes.Select(n => n.Name).ToArray(),
                replicasPerNode = 2,
                ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 11 } },
                environment = new[] { new { name = "VERSION", value = version } },
                update = new { parallelism, monitorSeconds = 2, progressDeadlineSeconds = 30 },
            },
        }));
        var release = await Ok(_api.PostAsJsonAsync($"/api/services/{_service}/releases", new { tag = "1" }));
        return (await release.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
    }

    private async Task<Guid> DeployAsync(int release) =>
        (await (await Ok(_api.PostAsJsonAsync($"/api/services/{_service}/deployments", new { release }))).Content.ReadFromJsonAsync<Deployment>(Json))!.Id;

    private async Task<Deployment> WaitAsync(Guid id, Func<Deployment, bool> until, int seconds = 120)
    {
        Deployment deployment = default!;
        await LabContainers.WaitUntilAsync(async () => until(deployment = (await _api.GetFromJsonAsync<Deployment>($"/api/deployments/{id}", Json))!),
            TimeSpan.FromSeconds(seconds), $"deployment {id}");
        return deployment;
    }

    private Task<List<(string Node, ContainerListResponse Container)>> Engines() => _engines.ServiceReplicasAsync(_service);

    private async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{_panel.Output}");
        return response;
    }

    public async Task DisposeAsync()
    {
        await _panel.DisposeAsync();
        foreach (var (node, c) in await Engines())
            await _engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
        await _engines.DisposeAsync();
        _api.Dispose();
        _repo.Dispose();
    }
}
