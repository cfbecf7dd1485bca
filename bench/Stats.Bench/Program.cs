using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using ControlPanel.Bench;
using ControlPanel.TestSupport;

// Sampling cost benchmark (issue 18): what the panel spends sampling idle containers on three nodes (without viewers,
// then with the Nodes page open), beside what the engines spend and what a plain `docker stats` loop spends instead.
var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var perNode = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var nodes = Lab.SharedNodes;
var containers = nodes.Count * perNode;
var duration = TimeSpan.FromMinutes(minutes);
Console.WriteLine($"Stats benchmark: {nodes.Count} nodes × {perNode} idle containers, panel sampling {minutes:0.#} min " +
    $"(half without viewers, half with the Nodes page open), then the engines idle {minutes / 2:0.#} min, then a docker stats loop {minutes:0.#} min");

// Ctrl-C or a kill ends the run through the same path as a failure: the containers and the panel are removed.
using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

IdleContainers.CheckMachine(containers);
await using var lab = new LabContainers();
var clock = Stopwatch.StartNew();
await IdleContainers.CreateAsync(lab, nodes, perNode, stop.Token);
Console.WriteLine($"setup: {containers} containers created and started in {clock.Elapsed.TotalSeconds:0} s (label {LabContainers.RunLabel}={lab.RunId})");

// Only the three nodes: the lab also exports a fourth, which this panel must not sample.
foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("ControlPanel__Nodes__", StringComparison.OrdinalIgnoreCase)).ToList())
    Environment.SetEnvironmentVariable(key, null);
var panel = new PanelProcess();
WindowResult history, live, idle, loop;
try
{
    const string password = "correct horse battery staple";
    await panel.RunCommandAsync(password, "admin", "create", "--user", "watcher", "--password-stdin", "--role", "Viewer");
    var token = await panel.RunCommandAsync(null, "token", "create", "--user", "watcher");
    await panel.StartAsync();
    using var api = new HttpClient { BaseAddress = panel.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    // Measured only once the panel really samples every container: a reading needs two of the engine's counters.
    clock.Restart();
    var readings = new SampledReadings(api, lab.RunId);
    await LabContainers.WaitUntilAsync(async () => (await readings.PollAsync()).Mine >= containers, TimeSpan.FromMinutes(5), $"/api/stats/top to list all {containers} containers");
    var (mine, all) = await readings.PollAsync();
    Console.WriteLine($"panel (pid {panel.ProcessId}) samples {all} containers, {mine} of them this run's, {clock.Elapsed.TotalSeconds:0} s after it answered");

    await using var viewer = await LiveNodesPage.SignInAsync(panel.BaseAddress, "watcher", password);
    // Not measured: the start's JIT and first rounds, and the sign-in's page, would count against the steady state.
    await Task.Delay(TimeSpan.FromSeconds(30), stop.Token);
    var withoutViewers = Window.Start("panel, no viewer (10 s rounds)", nodes.Count, panel.ProcessId, await RunningAsync());
    readings = new SampledReadings(api, lab.RunId);
    var engineReads = new EngineStatsReads(api);
    var readsBefore = await engineReads.CountAsync();
    await withoutViewers.WaitAsync(duration / 2, stop.Token, readings);
    history = withoutViewers.End(readings: readings.NewReadings, engineReads: await engineReads.CountAsync() - readsBefore);

    await viewer.WatchAsync(nodes.Count);
    var watched = Window.Start("panel, Nodes page open (2 s rounds)", nodes.Count, panel.ProcessId, await RunningAsync());
    readings = new SampledReadings(api, lab.RunId);
    readsBefore = await engineReads.CountAsync();
    await watched.WaitAsync(duration / 2, stop.Token, readings);
    live = watched.End(readings: readings.NewReadings, engineReads: await engineReads.CountAsync() - readsBefore);
    (mine, all) = await readings.PollAsync();
    Console.WriteLine($"at the end: /api/stats/top lists {all} containers ({mine} of this run's); the Nodes page shows live CPU for {await viewer.NodesShownAsync()} nodes");
}
finally
{
    await panel.DisposeAsync();
}

var nothing = Window.Start("nothing sampling (engines' floor)", nodes.Count, null, await RunningAsync());
await nothing.WaitAsync(duration / 2, stop.Token);
idle = nothing.End();

var script = Window.Start("docker stats --no-stream loop, every 10 s", nodes.Count, null, await RunningAsync());
var (loopCpu, rounds) = await CliStatsLoop.RunAsync(nodes.Select(n => n.Endpoint), duration, stop.Token);
loop = script.End(loopCpu, rounds);

WindowResult[] windows = [history, live, idle, loop];
Console.WriteLine();
Console.WriteLine(Report.Table(windows));
Console.WriteLine();
Console.WriteLine(Report.Ratios(history, live, idle, loop));
Console.WriteLine(Report.Rates(containers, history, live));
Console.WriteLine(Report.EngineRates(history, live));
Console.WriteLine(Report.Verdict(containers, history, live));
Directory.CreateDirectory("bench/results");
var file = $"bench/results/stats-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json";
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { nodes = nodes.Count, perNode, minutes, windows },
    new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
Console.WriteLine($"written to {file}; removing the containers");

// Running containers on the nodes now: this run's and those of other runs sharing the lab.
async Task<int> RunningAsync()
{
    var counts = await Task.WhenAll(nodes.Select(async n => (await lab.Client(n).Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters())).Count));
    return counts.Sum();
}
