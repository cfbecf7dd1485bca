using System.Globalization;
using System.Text.Json;
using ControlPanel.Bench;
using ControlPanel.TestSupport;

// Traffic benchmark (issue 15): the seed's PHP-FPM behind nginx, with loops of POST requests through nginx during a
// release, a rollback, a failed release, a safe restart, and the seed's own way (SIGTERM, no route); the release and
// the rollback measured beside a docker CLI script (script-release.sh) with a fixed drain wait, in the same run.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
var drainSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3; // the seed's drainDelaySeconds
const int replicasPerNode = 2;
const int loops = 4;
int[] requestMs = [300, 1000];
var nodes = Lab.SharedNodes;
var unique = Guid.NewGuid().ToString("N")[..8];
var label = $"controlpanel.bench=traffic-{unique}";
Console.WriteLine($"Traffic benchmark: PHP-FPM {nodes.Count} nodes × {replicasPerNode} replicas behind nginx, {loops} loops of POST requests of " +
    $"{string.Join(" and ", requestMs)} ms, drain wait {drainSeconds} s, {runs} run(s)");

var panel = new PanelStack(nodes, replicasPerNode, drainSeconds, unique, label);
using var script = new ScriptStack(nodes, replicasPerNode, drainSeconds, label);
var v1 = $"{Lab.Current.Registry}/lab/php-fpm:1";
var v2 = $"{Lab.Current.Registry}/lab/php-fpm:2";
var cases = new List<TrafficCase>();
try
{
    await panel.StartAsync();
    await script.StartAsync(v1);
    Console.WriteLine("setup: router, routed service (v1), seed service (v1), script stack (v1) running");

    for (var run = 1; run <= runs; run++)
    {
        var ofRun = new List<TrafficCase>();
        foreach (var ms in requestMs)
        {
            // The panel and the script take turns going first, so machine noise hits both alike.
            var panelFirst = (run + Array.IndexOf(requestMs, ms)) % 2 == 1;
            ofRun.Add(await BesideScriptAsync(run, "(a) release v1 → v2", ms, panelFirst, () => panel.DeployAsync(panel.Service, panel.V2), v2));
            ofRun.Add(await BesideScriptAsync(run, "(b) rollback: POST /rollback (v2 → v1)", ms, panelFirst, panel.RollbackAsync, v1));
            ofRun.Add(await PanelOnlyAsync(run, "(b2) failed release (v2 ping ≠ pong) → rolled back", ms, panel.ProxyUrl(ms), async () => await panel.DeployAsync(panel.Service, panel.Broken)));
            ofRun.Add(await PanelOnlyAsync(run, "(c) safe restart: POST /restart", ms, panel.ProxyUrl(ms), panel.RestartAsync));
            ofRun.Add(await PanelOnlyAsync(run, "(d) seed: SIGTERM, no route, v1 → v2", ms, panel.SeedProxyUrl(ms), async () => await panel.DeployAsync(panel.Seed, panel.SeedV2)));
            await panel.DeployAsync(panel.Seed, panel.SeedV1); // back to v1, not measured
        }
        Console.WriteLine();
        Console.WriteLine($"run {run}:");
        Console.Write(Report.Table(ofRun, drainSeconds));
        Console.WriteLine(Report.Verdict(ofRun, drainSeconds, requestMs[0]));
        if (Report.Failures(ofRun) is { Length: > 0 } failures) Console.WriteLine("failures (first 3 of each):" + Environment.NewLine + failures);
        cases.AddRange(ofRun);
    }
}
finally
{
    await panel.DisposeAsync();
    foreach (var node in nodes) await DockerCli.RemoveLabelledAsync(node.Endpoint, label);
}

Directory.CreateDirectory("bench/results");
var file = $"bench/results/traffic-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json";
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
{
    nodes = nodes.Count, replicasPerNode, loops, requestMs, drainSeconds, runs,
    cases = cases.Select(c => new
    {
        c.Run, c.Case, c.Ms, c.NotMeasured,
        panelRequests = c.Panel?.Requests, panelFailed = c.Panel?.Failed, panelStatus = c.Outcome?.Status, panelSeconds = c.PanelSeconds,
        scriptRequests = c.Script?.Requests, scriptFailed = c.Script?.Failed, c.ScriptSeconds, c.Ratio,
        drains = c.Outcome?.Drains.Select(d => new { d.Node, d.Slot, d.Seconds, d.Detail }),
    }),
}, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
Console.WriteLine($"written to {file}");

// A case that cannot run (the panel refused it, a stack is not in the state the case needs) is reported, not fatal.
static async Task<TrafficCase> GuardedAsync(int run, string name, int ms, Func<Task<TrafficCase>> measure)
{
    try
    {
        return Progress(await measure());
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException)
    {
        return Progress(new TrafficCase(run, name, ms, null, null, null, null, ex.Message));
    }
}

async Task<TrafficCase> BesideScriptAsync(int run, string name, int ms, bool panelFirst, Func<Task<PanelOutcome>> panelSide, string scriptImage) => await GuardedAsync(run, name, ms, async () =>
{
    LoadCount? panelLoad = null, scriptLoad = null;
    PanelOutcome? outcome = null;
    double scriptSeconds = 0;
    foreach (var panelTurn in panelFirst ? new[] { true, false } : [false, true])
    {
        if (panelTurn) panelLoad = await LoadCount.DuringAsync(panel.ProxyUrl(ms), loops, async () => outcome = await panelSide());
        else scriptLoad = await LoadCount.DuringAsync(script.ProxyUrl(ms), loops, async () => scriptSeconds = (await script.ReleaseAsync(scriptImage)).TotalSeconds);
    }
    return new TrafficCase(run, name, ms, panelLoad, outcome, scriptLoad, scriptSeconds);
});

async Task<TrafficCase> PanelOnlyAsync(int run, string name, int ms, string url, Func<Task<PanelOutcome?>> panelSide) => await GuardedAsync(run, name, ms, async () =>
{
    PanelOutcome? outcome = null;
    var load = await LoadCount.DuringAsync(url, loops, async () => outcome = await panelSide());
    return outcome is null ? new TrafficCase(run, name, ms, null, null, null, null, "the panel has no such endpoint yet") : new TrafficCase(run, name, ms, load, outcome, null, null);
});

static TrafficCase Progress(TrafficCase c)
{
    Console.WriteLine(c.NotMeasured is not null ? $"  {c.Case}, {c.Ms} ms: not measured ({c.NotMeasured})"
        : $"  {c.Case}, {c.Ms} ms: {c.Panel!.Failed} of {c.Panel.Requests} failed, {c.Outcome!.Status} in {c.PanelSeconds:0.00} s" +
          (c.Script is { } s ? $"; script {s.Failed} of {s.Requests} failed in {c.ScriptSeconds:0.00} s" : ""));
    return c;
}
