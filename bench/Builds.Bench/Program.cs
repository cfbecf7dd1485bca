using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Security;
using ControlPanel.Bench;
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
    // The panel runs in this process, on this clock: its own record of when the build finished (stored before it is
    // shown) ends the measurement, so the poll can be calm. Polling every 10 ms cost the panel CPU that the script
    // never paid on this 2-core machine, and still added up to 10 ms of poll delay.
    var sent = DateTimeOffset.UtcNow;
    var response = await admin.PostAsJsonAsync("/api/services/bench/builds", new { node = node.Name });
    response.EnsureSuccessStatusCode();
    var id = (await response.Content.ReadFromJsonAsync<Build>(json))!.Id;
    while (true)
    {
        var build = (await admin.GetFromJsonAsync<Build>($"/api/builds/{id}", json))!;
        if (build.IsFinished)
            return build.Status == BuildStatus.Succeeded ? (build.FinishedAt!.Value - sent, build) : throw new InvalidOperationException($"panel build {build.Status}: {build.Error}");
        await Task.Delay(100);
    }
}

// The script's push is timed inside it (date +%s%N around docker push), so each stage can be set beside the panel's.
async Task<(TimeSpan Took, TimeSpan Push)> ScriptAsync(string sha)
{
    var image = $"{registry}/bench/script-{unique}:{sha[..7]}";
    var script = $"set -e; git -C '{repo.Path}' archive --format=tar {sha} | docker -H {node.Endpoint} build -q --network host -t {image} - >/dev/null; " +
        $"date +%s%N; docker -H {node.Endpoint} push -q {image} >/dev/null; date +%s%N";
    var clock = Stopwatch.StartNew();
    var start = new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["DOCKER_BUILDKIT"] = "0" } };
    using var sh = Process.Start(start)!;
    var output = sh.StandardOutput.ReadToEndAsync();
    var error = await sh.StandardError.ReadToEndAsync();
    await sh.WaitForExitAsync();
    var took = clock.Elapsed;
    if (sh.ExitCode != 0) throw new InvalidOperationException($"script failed: {error}");
    var stamps = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToList();
    return (took, TimeSpan.FromTicks((stamps[1] - stamps[0]) / 100));
}

var change = 0;
string ChangeOneFile() => repo.Write("src/Page7.php", $"<?php echo 'page 7, change {++change}';\n").Commit($"change {change}");

// Warm-up, twice each: fills the builder's cache and the registry with the stable layers for both, and runs the
// panel's whole build path once after its first (JIT, connection pools), so run 1 is not a first run.
for (var i = 0; i < 2; i++)
{
    await PanelAsync();
    await ScriptAsync(ChangeOneFile());
}

var pairs = new PairedRuns("build stage (one-file change → build → push)", target: 1.10);
var buildSteps = new PairedRuns("  fetch + context + build vs git archive | docker build", target: 1.15);
var pushSteps = new PairedRuns("  push vs docker push", target: 1.15);
var phases = new List<IReadOnlyList<BuildPhase>>();
var kinds = Enum.GetValues<BuildPhaseKind>();
Console.WriteLine($"{"run",4} {"first",6} {"panel ms",9} {"script ms",10} {"ratio",6}  panel {string.Join(" ", kinds.Select(k => $"{k.ToString().ToLowerInvariant(),7}"))}  script {"build",6} {"push",6}");
for (var run = 1; run <= runs; run++)
{
    double panelMs = 0, scriptMs = 0, scriptPushMs = 0;
    Build? build = null;
    var order = run % 2 == 1 ? new[] { "panel", "script" } : ["script", "panel"];
    foreach (var who in order)
    {
        var sha = ChangeOneFile();
        if (who == "panel") { (var took, build) = await PanelAsync(); panelMs = took.TotalMilliseconds; }
        else { var (took, push) = await ScriptAsync(sha); (scriptMs, scriptPushMs) = (took.TotalMilliseconds, push.TotalMilliseconds); }
    }
    var ratio = pairs.Add(panelMs, scriptMs);
    phases.Add(build!.Phases);
    double Phase(BuildPhaseKind kind) => build.Phases.First(p => p.Kind == kind).Duration!.Value.TotalMilliseconds;
    buildSteps.Add(Phase(BuildPhaseKind.Fetch) + Phase(BuildPhaseKind.Context) + Phase(BuildPhaseKind.Build), scriptMs - scriptPushMs);
    pushSteps.Add(Phase(BuildPhaseKind.Push), scriptPushMs);
    Console.WriteLine($"{run,4} {order[0],6} {panelMs,9:0} {scriptMs,10:0} {ratio,6:0.00}  panel {string.Join(" ", kinds.Select(k => $"{Phase(k),7:0}"))}  script {scriptMs - scriptPushMs,6:0} {scriptPushMs,6:0}");
    if (build.Steps.Count(s => s.Cached) != 2) Console.WriteLine($"     (panel's cached steps: {string.Join(",", build.Steps.Where(s => s.Cached).Select(s => s.Number))}; expected 2,3)");
}

Console.WriteLine();
pairs.Print("ms", "0");
buildSteps.Print("ms", "0", withLoad: false);
pushSteps.Print("ms", "0", withLoad: false);
foreach (var kind in kinds)
    Console.WriteLine($"  panel {kind,-8} median {PairedRuns.Median(phases.Select(p => p.First(x => x.Kind == kind).Duration!.Value.TotalMilliseconds)),6:0} ms");
