using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.Bench;
using ControlPanel.TestSupport;

// Release benchmarks (issue 6), each beside its baseline in the same run:
// 1. a rolling deploy of a changed image to 3 nodes × 4 replicas, start-first, health-gated, by the panel and by a
//    plain docker CLI script doing the same steps (parallel pre-pull, then per replica: run new, wait healthy, stop old);
// 2. a no-op redeploy by the panel beside one `docker pull` of an unchanged tag.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
const int replicas = 4;
var nodes = Lab.SharedNodes;
var registry = Lab.Current.Registry;
var unique = Guid.NewGuid().ToString("N")[..8];
var panelPorts = LabContainers.NextPorts(40);
var scriptPorts = LabContainers.NextPorts(60);
Console.WriteLine($"Release benchmark: {nodes.Count} nodes × {replicas} replicas, start-first, health-gated (lab/web HEALTHCHECK every 2 s), median of {runs}");

using var repo = new GitTestRepository();
repo.Write("Dockerfile", "FROM scratch\n").Commit("init");
await using var panel = new PanelFactory(withBrokenNode: false);
using var admin = await panel.CreateClientAsync(Role.Admin);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
(await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{registry}" })).EnsureSuccessStatusCode();
var runtime = new
{
    nodes = nodes.Select(n => n.Name).ToArray(), replicasPerNode = replicas, stopTimeoutSeconds = 5,
    ports = new[] { new { name = "PORT", rangeStart = panelPorts, rangeEnd = panelPorts + 39 } },
    // No monitor period: the script has none either.
    update = new { parallelism = 1, monitorSeconds = 0, progressDeadlineSeconds = 60 },
};
(await admin.PutAsJsonAsync("/api/services/bench", new { repositoryUrl = repo.Path, registry = "lab", imageRepository = $"bench/deploy-{unique}", runtime })).EnsureSuccessStatusCode();

var version = 0;
async Task<(int Release, string Image)> NewImageAsync()
{
    repo.Write("Dockerfile", $"FROM {Lab.Image("web")}\nENV VERSION={unique}-{++version}\n").Commit($"v{version}");
    var started = await (await admin.PostAsJsonAsync("/api/services/bench/builds", new { node = nodes[0].Name })).Content.ReadFromJsonAsync<Build>(json);
    Build build;
    do { await Task.Delay(100); build = (await admin.GetFromJsonAsync<Build>($"/api/builds/{started!.Id}", json))!; } while (!build.IsFinished);
    if (build.Status != BuildStatus.Succeeded) throw new InvalidOperationException($"build failed: {build.Error}");
    var release = await (await admin.PostAsJsonAsync("/api/services/bench/releases", new { build = build.Id })).Content.ReadFromJsonAsync<JsonElement>();
    return (release.GetProperty("number").GetInt32(), $"{registry}/bench/deploy-{unique}@{build.Digest}");
}

async Task<TimeSpan> PanelDeployAsync(int release, DeploymentStatus expected)
{
    // Ends at the deployment's own FinishedAt (the panel runs in this process, on this clock), so the poll can be calm:
    // a GET every 20 ms read the deployment and its steps from the database 50 times a second while the rollout wrote them.
    var sent = DateTimeOffset.UtcNow;
    var response = await admin.PostAsJsonAsync("/api/services/bench/deployments", new { release });
    var id = (await response.Content.ReadFromJsonAsync<Deployment>(json))!.Id;
    Deployment deployment;
    do { await Task.Delay(expected == DeploymentStatus.NoOp ? 10 : 250); deployment = (await admin.GetFromJsonAsync<Deployment>($"/api/deployments/{id}", json))!; } while (!deployment.IsFinished);
    return deployment.Status == expected ? deployment.FinishedAt!.Value - sent : throw new InvalidOperationException($"panel deployment {deployment.Status}: {deployment.Reason}");
}

// The baseline: what a careful operator's script does with the docker CLI.
var scriptContainers = nodes.ToDictionary(n => n.Name, _ => new string?[replicas]);
var scriptPort = 0;
async Task<TimeSpan> ScriptDeployAsync(string image)
{
    var script = new StringBuilder("set -e\n");
    foreach (var n in nodes) script.Append($"docker -H {n.Endpoint} pull -q {image} >/dev/null &\n");
    script.Append("wait\n");
    for (var r = 0; r < replicas; r++)
    {
        foreach (var n in nodes)
        {
            // Consecutive ports modulo 60: the 12 running replicas hold the last 12, so the next is always free.
            var port = scriptPorts + scriptPort++ % 60;
            var old = scriptContainers[n.Name][r];
            var d = $"docker -H {n.Endpoint}";
            script.Append($"new=$({d} run -d --network host -e PORT={port} --label bench=script-{unique} --stop-timeout 5 {image})\n");
            script.Append($"until [ \"$({d} inspect -f '{{{{.State.Health.Status}}}}' $new)\" = healthy ]; do sleep 0.2; done\n");
            if (old is not null) script.Append($"{d} stop {old} >/dev/null; {d} rm {old} >/dev/null\n");
            script.Append($"echo {n.Name} {r} $new\n");
        }
    }
    var clock = Stopwatch.StartNew();
    using var sh = Process.Start(new ProcessStartInfo("bash", ["-c", script.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = await sh.StandardOutput.ReadToEndAsync();
    var error = await sh.StandardError.ReadToEndAsync();
    await sh.WaitForExitAsync();
    var took = clock.Elapsed;
    if (sh.ExitCode != 0) throw new InvalidOperationException($"script failed: {error}");
    foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
    {
        var parts = line.Split(' ');
        scriptContainers[parts[0]][int.Parse(parts[1], CultureInfo.InvariantCulture)] = parts[2];
    }
    return took;
}

// Warm-up: both sides get their 12 replicas of a first image.
var (firstRelease, firstImage) = await NewImageAsync();
await PanelDeployAsync(firstRelease, DeploymentStatus.Succeeded);
await ScriptDeployAsync(firstImage);

var pairs = new PairedRuns("rolling deploy", target: 1.15);
Console.WriteLine($"{"run",4} {"first",6} {"panel s",8} {"script s",9} {"ratio",6}");
for (var run = 1; run <= runs; run++)
{
    var (release, _) = await NewImageAsync();
    var (_, scriptImage) = await NewImageAsync();
    double p = 0, s = 0;
    var order = run % 2 == 1 ? new[] { "panel", "script" } : ["script", "panel"];
    foreach (var who in order)
    {
        if (who == "panel") p = (await PanelDeployAsync(release, DeploymentStatus.Succeeded)).TotalSeconds;
        else s = (await ScriptDeployAsync(scriptImage)).TotalSeconds;
    }
    Console.WriteLine($"{run,4} {order[0],6} {p,8:0.00} {s,9:0.00} {pairs.Add(p, s),6:0.00}");
}
pairs.Print("s", "0.00");

// No-op: the release that runs everywhere, deployed again, beside one `docker pull` of an unchanged tag.
var noOpTimes = new List<double>();
var pullTimes = new List<double>();
var running = (await admin.GetFromJsonAsync<List<JsonElement>>("/api/deployments?service=bench"))!.First(d => d.GetProperty("status").GetString() == "Succeeded").GetProperty("release").GetInt32();
for (var i = 0; i < runs; i++)
{
    noOpTimes.Add((await PanelDeployAsync(running, DeploymentStatus.NoOp)).TotalMilliseconds);
    var clock = Stopwatch.StartNew();
    using var pull = Process.Start(new ProcessStartInfo("docker", ["-H", nodes[0].Endpoint, "pull", "-q", Lab.Image("web")]) { RedirectStandardOutput = true })!;
    await pull.WaitForExitAsync();
    pullTimes.Add(clock.Elapsed.TotalMilliseconds);
}
Console.WriteLine($"no-op redeploy median: panel {PairedRuns.Median(noOpTimes):0} ms, docker pull of an unchanged tag {PairedRuns.Median(pullTimes):0} ms, ratio {PairedRuns.Median(noOpTimes) / PairedRuns.Median(pullTimes):0.00} (target ≤ 2)");

// Leave nothing running.
await using var engines = new LabContainers();
foreach (var n in nodes)
    foreach (var c in await engines.Client(n).Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true }))
        if (c.Labels.TryGetValue("bench", out var b) && b == $"script-{unique}" || c.Labels.TryGetValue(ReplicaLabels.Service, out var s) && s == "bench")
            await engines.Client(n).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
