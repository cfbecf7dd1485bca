using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using ControlPanel.Bench;
using ControlPanel.TestSupport;
using ControlPanel.TestSupport.Consul;

// Consul benchmark (issue 16): hosts that join by themselves. Each simulated host registers a 'docker' service with its
// own agent of the Consul stand-in; measured is registration → node listed by the panel's API and → row on the open
// Nodes page, beside a plain blocking-query watcher of the same catalog in the same run; then the panel's CPU and
// Consul requests while it watches every node and nothing changes.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var gap = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);
var idle = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
var joinTimeout = TimeSpan.FromSeconds(30);
var apiInterval = TimeSpan.FromMilliseconds(100);
Console.WriteLine($"Consul benchmark: {count} hosts join one by one ({gap.TotalMilliseconds:0} ms after the previous one was seen), then {idle.TotalSeconds:0} s idle");
Console.WriteLine("Consul is the in-process stand-in (tests/TestSupport/Consul, Consul 1.21's HTTP API): no Consul agent can be installed here.");

await using var consul = await ConsulStandIn.StartAsync(node: "consul-server");
// The baseline asks its own agent, so the stand-in's record of calls tells its requests from the panel's.
var baselineAgent = await consul.AddAgentAsync("baseline-watcher");
var engines = Lab.SharedNodes.Select(n => n.Endpoint).ToList();
using var hosts = new SimulatedNodes(consul, engines);
await hosts.StartAgentsAsync(count);

await using var panel = new PanelProcess(new Dictionary<string, string>
{
    ["ControlPanel__Consul__Address"] = consul.Address.ToString().TrimEnd('/'),
    ["ControlPanel__Consul__AllowUnixEndpoints"] = "true",
}, withLabNodes: false);
const string password = "correct horse battery staple";
await panel.RunCommandAsync(password, "admin", "create", "--user", "watcher", "--password-stdin", "--role", "Viewer");
var token = await panel.RunCommandAsync(null, "token", "create", "--user", "watcher");
await panel.StartAsync();
using var api = new HttpClient { BaseAddress = panel.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

var panelApi = new PanelApiWatcher(api, apiInterval);
var before = await panelApi.ListAsync();
Console.WriteLine($"panel started with {before.Count} nodes; {count} simulated hosts on {engines.Count} lab engines ({string.Join(", ", engines)})");

NodesPageWatcher? nodesPage = null;
try
{
    nodesPage = await NodesPageWatcher.OpenAsync(panel.BaseAddress, "watcher", password);
}
catch (Exception ex) when (ex is Microsoft.Playwright.PlaywrightException or TimeoutException)
{
    Console.WriteLine($"the Nodes page could not be opened in Chromium, API only: {ex.Message}");
}

var baseline = new CatalogWatcher(baselineAgent, "docker");
using var stopWatchers = new CancellationTokenSource();
var baselineLoop = baseline.RunAsync(stopWatchers.Token);
using var stopApi = CancellationTokenSource.CreateLinkedTokenSource(stopWatchers.Token);
var apiLoop = panelApi.RunAsync(stopApi.Token);
// Both watchers holding their blocking query (and the API answered once) before the first host registers.
while (baseline.Queries == 0 || panelApi.CallMs.Count == 0) await Task.Delay(10);
await Task.Delay(TimeSpan.FromSeconds(1));

// Joins: one host at a time; the next registers once the baseline and the API have both seen this one (or gave up).
var registered = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
var joinsStart = DateTimeOffset.UtcNow;
var joins = Stopwatch.StartNew();
for (var i = 1; i <= count; i++)
{
    var name = SimulatedNodes.Name(i);
    registered[name] = await hosts.RegisterAsync(i);
    var deadline = Stopwatch.StartNew();
    while ((!baseline.FirstSeen.ContainsKey(name) || !panelApi.FirstSeen.ContainsKey(name)) && deadline.Elapsed < joinTimeout)
        await Task.Delay(5);
    await Task.Delay(gap);
}
var joinsEnd = DateTimeOffset.UtcNow;
Console.WriteLine($"joins: {count} registrations in {joins.Elapsed.TotalSeconds:0.0} s");

var page = new Dictionary<string, DateTimeOffset>();
if (nodesPage is not null)
{
    // Rows may come after the API: give the page until every host shows or 15 s pass.
    var deadline = Stopwatch.StartNew();
    while ((page = await nodesPage.RowsSeenAsync()).Count(p => registered.ContainsKey(p.Key)) < count && deadline.Elapsed < TimeSpan.FromSeconds(15))
        await Task.Delay(250);
    await nodesPage.DisposeAsync();
}
await stopApi.CancelAsync();
await apiLoop;

var baselineLatencies = new Latencies("baseline (blocking-query loop)", registered, baseline.FirstSeen);
var apiLatencies = new Latencies($"panel GET /api/nodes (every {apiInterval.TotalMilliseconds:0} ms)", registered, panelApi.FirstSeen);
Console.WriteLine("join latency, registration sent → node seen:");
Console.WriteLine(baselineLatencies.Line());
Console.WriteLine(apiLatencies.Line());
Console.WriteLine(Latencies.Ratio(apiLatencies, baselineLatencies));
if (nodesPage is not null)
{
    var pageLatencies = new Latencies("panel Nodes page (row in DOM)", registered, page);
    Console.WriteLine(pageLatencies.Line());
    if (pageLatencies.Ms.Count > 0) Console.WriteLine(Latencies.Ratio(pageLatencies, baselineLatencies));
    if (pageLatencies.Missing > 0)
        Console.WriteLine($"  {pageLatencies.Missing} hosts never showed on the open Nodes page, by 15 s after the last join");
}
List<double> callMs;
lock (panelApi.CallMs) callMs = [.. panelApi.CallMs.Order()];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  GET /api/nodes took {callMs[callMs.Count / 2]:0.0} ms (median of {callMs.Count} calls; it asks every node's engine)"));
var listed = await panelApi.ListAsync();
Console.WriteLine($"panel lists {listed.Count} nodes, {listed.Count(n => n.GetProperty("status").ToString() == "Reachable")} reachable");

// Idle: every host watched, nothing changes, no page open and no API calls; only the watches run.
await Task.Delay(TimeSpan.FromSeconds(2));
var windowStart = DateTimeOffset.UtcNow;
var cpuBefore = panel.ProcessorTime;
var wall = Stopwatch.StartNew();
await Task.Delay(idle);
var cpu = panel.ProcessorTime - cpuBefore;
var elapsed = wall.Elapsed;
var windowEnd = DateTimeOffset.UtcNow;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"idle {elapsed.TotalSeconds:0.0} s with {listed.Count} nodes watched: panel CPU {cpu.TotalMilliseconds:0} ms ({cpu / elapsed * 100:0.00} % of one core; includes its engine event streams)"));
var delivered = 0;
var reported = 0;
foreach (var engine in engines)
{
    var events = await EngineEvents.CountAsync(engine, windowStart, windowEnd);
    reported += events;
    delivered += events * Enumerable.Range(1, count).Count(i => hosts.EngineOf(i) == engine);
}
Console.WriteLine($"  the lab engines reported {reported} events in the window (other test runs share them); each reaches the panel once per host on its engine: {delivered}");
// The stand-in records a request when its answer starts: a query that arrived in the window is held up to 30 s more.
await Task.Delay(TimeSpan.FromSeconds(35));
var calls = consul.Calls.Where(c => c.At >= windowStart && c.At < windowEnd).ToList();
var panelCalls = calls.Where(c => c.Agent == "consul-server").ToList();
var baselineCalls = calls.Where(c => c.Agent == "baseline-watcher").ToList();
Console.WriteLine($"  Consul requests arrived in the window: panel {panelCalls.Count} ({string.Join(", ", panelCalls.GroupBy(c => c.Path).Select(g => $"{g.Count()}× {g.Key}"))}), baseline {baselineCalls.Count}");
// Since the last join nothing changed: each query should be held for the whole wait (30 s), never answered sooner.
var lastJoin = registered.Values.Max();
var quiet = consul.Calls.Where(c => c.Agent == "consul-server" && c.Path == "/v1/health/service/docker" && c.At > lastJoin && c.At < windowEnd)
    .Select(c => c.At).ToList();
var gaps = quiet.Zip(quiet.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  since the last join ({(windowEnd - lastJoin).TotalSeconds:0} s, nothing changed): the panel's node watch made {quiet.Count} queries{(gaps.Count > 0 ? $", {gaps.Min():0.0}–{gaps.Max():0.0} s apart" : "")} (blocking queries with wait=30s)"));
int HealthQueries(string agent) => consul.Calls.Count(c => c.Agent == agent && c.At >= joinsStart && c.At < joinsEnd && c.Path == "/v1/health/service/docker");
Console.WriteLine($"  during the joins ({count} catalog changes): panel {HealthQueries("consul-server")} queries, baseline {HealthQueries("baseline-watcher")}");

// Inside each watcher: a watch asks again only once it has applied an answer, so its next query's arrival (in the
// stand-in's record) bounds when it knew of the node, without the API's polling in the way.
Dictionary<string, DateTimeOffset> NextQuery(string agent)
{
    var queries = consul.Calls.Where(c => c.Agent == agent && c.Path == "/v1/health/service/docker").Select(c => c.At).Order().ToList();
    return registered.Where(r => queries.Any(q => q > r.Value)).ToDictionary(r => r.Key, r => queries.First(q => q > r.Value));
}
var baselineWatch = new Latencies("baseline loop, next query", registered, NextQuery("baseline-watcher"));
var panelWatch = new Latencies("panel's Consul watch, next query", registered, NextQuery("consul-server"));
Console.WriteLine("registration sent → the watcher's next query reaches Consul (sent once it has applied an answer; while the panel's pacing holds it back, the query that then fetches the node):");
Console.WriteLine(baselineWatch.Line());
Console.WriteLine(panelWatch.Line());
Console.WriteLine(Latencies.Ratio(panelWatch, baselineWatch));

await stopWatchers.CancelAsync();
await baselineLoop;

await panel.DisposeAsync();
await RegistrationPhase.RunAsync(engines, replicasPerNode: 5);
