using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

// Build benchmark (issue 5): a one-file change → build → push, by the panel and by the plain script
// `git archive | docker build -` + `docker push`, on the same node, same cache state, same run.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var node = Lab.SharedNodes[0];
var registry = Lab.Current.Registry;
var unique = Guid.NewGuid().ToString("N")[..8];
Console.WriteLine($"Build benchmark: one-file change → build → push on {node.Name}, {runs} runs each, alternating who goes first");

using var repo = new GitTestRepository();
// A PHP-style app: a large stable vendor tree, the app's own sources, and a build step between them.
for (var i = 0; i < 400; i++) repo.Write($"vendor/lib{i % 20}/File{i}.php", $"<?php // {unique} {i}\n" + new string('v', 4_000));
for (var i = 0; i < 40; i++) repo.Write($"src/Page{i}.php", $"<?php echo 'page {i}';\n");
repo.Write("Dockerfile", $"""
    FROM {Lab.Image("busybox")}
    COPY vendor/ /app/vendor/
    RUN echo "composer install {unique}" > /app/installed
    COPY src/ /app/src/
    """);
repo.Commit("the app");

await using var panel = new PanelFactory(withBrokenNode: false);
using var admin = await panel.CreateClientAsync(Role.Admin);
(await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{registry}" })).EnsureSuccessStatusCode();
(await admin.PutAsJsonAsync("/api/services/bench", new { repositoryUrl = repo.Path, registry = "lab", imageRepository = $"bench/panel-{unique}" })).EnsureSuccessStatusCode();
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

async Task<(TimeSpan Took, Build Build)> PanelAsync()
{
    var clock = Stopwatch.StartNew();
    var response = await admin.PostAsJsonAsync("/api/services/bench/builds", new { node = node.Name });
    response.EnsureSuccessStatusCode();
    var id = (await response.Content.ReadFromJsonAsync<Build>(json))!.Id;
    while (true)
    {
        var build = (await admin.GetFromJsonAsync<Build>($"/api/builds/{id}", json))!;
        if (build.IsFinished)
            return build.Status == BuildStatus.Succeeded ? (clock.Elapsed, build) : throw new InvalidOperationException($"panel build {build.Status}: {build.Error}");
        await Task.Delay(10);
    }
}

async Task<TimeSpan> ScriptAsync(string sha)
{
    var image = $"{registry}/bench/script-{unique}:{sha[..7]}";
    var script = $"set -e; git -C '{repo.Path}' archive --format=tar {sha} | docker -H {node.Endpoint} build -q --network host -t {image} - >/dev/null; docker -H {node.Endpoint} push -q {image} >/dev/null";
    var clock = Stopwatch.StartNew();
    var start = new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardError = true, Environment = { ["DOCKER_BUILDKIT"] = "0" } };
    using var sh = Process.Start(start)!;
    var error = await sh.StandardError.ReadToEndAsync();
    await sh.WaitForExitAsync();
    return sh.ExitCode == 0 ? clock.Elapsed : throw new InvalidOperationException($"script failed: {error}");
}

var change = 0;
string ChangeOneFile() => repo.Write("src/Page7.php", $"<?php echo 'page 7, change {++change}';\n").Commit($"change {change}");

// Warm-up: fills the builder's cache and the registry with the stable layers for both.
await PanelAsync();
await ScriptAsync(ChangeOneFile());

var panelTimes = new List<double>();
var scriptTimes = new List<double>();
var phases = new List<IReadOnlyList<BuildPhase>>();
Console.WriteLine($"{"run",4} {"panel ms",9} {"script ms",10} {"cached steps (panel)",21}");
for (var run = 1; run <= runs; run++)
{
    double panelMs = 0, scriptMs = 0;
    Build? build = null;
    foreach (var who in run % 2 == 1 ? new[] { "panel", "script" } : ["script", "panel"])
    {
        var sha = ChangeOneFile();
        if (who == "panel") { (var took, build) = await PanelAsync(); panelMs = took.TotalMilliseconds; }
        else scriptMs = (await ScriptAsync(sha)).TotalMilliseconds;
    }
    panelTimes.Add(panelMs);
    scriptTimes.Add(scriptMs);
    phases.Add(build!.Phases);
    Console.WriteLine($"{run,4} {panelMs,9:0} {scriptMs,10:0} {string.Join(",", build.Steps.Where(s => s.Cached).Select(s => s.Number)),21}");
}

var panelMedian = Median(panelTimes);
var scriptMedian = Median(scriptTimes);
Console.WriteLine();
Console.WriteLine($"median: panel {panelMedian:0} ms, script {scriptMedian:0} ms, ratio {panelMedian / scriptMedian:0.00} (target ≤ 1.15)");
foreach (var kind in Enum.GetValues<BuildPhaseKind>())
    Console.WriteLine($"  panel {kind,-8} median {Median(phases.Select(p => p.First(x => x.Kind == kind).Duration!.Value.TotalMilliseconds).ToList()),6:0} ms");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
