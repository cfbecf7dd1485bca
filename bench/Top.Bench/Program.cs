using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ControlPanel.Bench;
using ControlPanel.TestSupport;
using Microsoft.Playwright;

// Top benchmark (issue 18): the Top view's first render beside the containers page's, in the same run over the same
// fleet, and how long a container's memory change takes to show on its open chart.
var perNode = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
var nodes = Lab.SharedNodes;
var fleetSize = nodes.Count * perNode;
Console.WriteLine($"Top benchmark: {nodes.Count} nodes × {perNode} containers, median of {runs} loads per page");

await using var lab = new LabContainers();
var clock = Stopwatch.StartNew();
await FleetSetup.CreateAsync(lab, nodes, perNode);
Console.WriteLine($"setup: {fleetSize} containers created and started in {clock.Elapsed.TotalSeconds:0.0} s");

await using var panel = new PanelFactory(withBrokenNode: false);
panel.UseKestrel(0);
panel.StartServer();
var baseUrl = panel.ClientOptions.BaseAddress.ToString().TrimEnd('/');
var user = await panel.CreateUserAsync(ControlPanel.Core.Security.Role.Operator);

using var playwright = await Playwright.CreateAsync();
await using var browser = await BenchBrowser.LaunchAsync(playwright);
var (context, signIn) = await BenchBrowser.SignInAsync(browser, baseUrl, user);

// Top shows what the samplers have read: wait until they have read this run's whole fleet (the page keeps them live).
await signIn.GotoAsync($"{baseUrl}/top");
await signIn.WaitForFunctionAsync("min => Number(document.querySelector('[data-testid=top-count]')?.textContent.match(/\\d+/)?.[0] ?? 0) >= min",
    fleetSize, new() { Timeout = 180_000 });
Console.WriteLine($"samplers read the fleet in {clock.Elapsed.TotalSeconds:0.0} s from the start");
await signIn.CloseAsync();

// Complete: the first row painted (Element Timing), with every container of the run counted. Pages interleaved, so
// machine noise hits both alike.
const string ContainersCounted = """
    min => { const m = document.querySelector('[data-testid=count-total]')?.textContent.trim().match(/^(\d+) of (\d+)$/);
             return m != null && m[1] === m[2] && Number(m[2]) >= min; }
    """;
const string TopCounted = "min => Number(document.querySelector('[data-testid=top-count]')?.textContent.match(/\\d+/)?.[0] ?? 0) >= min";
Func<IPage, Stopwatch, bool, Task> Counted(string expression) => async (p, _, _) =>
    await p.WaitForFunctionAsync(expression, fleetSize, new() { Timeout = 60_000 });
var page = await context.NewPageAsync();
var loads = new PageLoads(page);
var containersSamples = new List<double>();
var topSamples = new List<double>();
for (var i = 0; i < runs; i++)
{
    containersSamples.AddRange(await loads.FirstRowPaintAsync($"{baseUrl}/containers", reload: false, 1, Counted(ContainersCounted)));
    topSamples.AddRange(await loads.FirstRowPaintAsync($"{baseUrl}/top", reload: false, 1, Counted(TopCounted)));
}
var containersMs = Stats.Median(containersSamples);
var topMs = Stats.Median(topSamples);
Console.WriteLine($"first row painted: containers page {containersMs:0} ms, Top {topMs:0} ms, ratio {topMs / containersMs:0.00} (target ≤ 1.20)");

// Memory change → open chart: a container waits for a signal, then writes 50 MB to its tmpfs /dev/shm (memory the
// cgroup counts, as the end-to-end chart test uses); the clock runs from the
// signal (docker exec returned) to the open page's reading showing 40 MB more than before.
var latencies = new List<double>();
var node = nodes[0];
for (var i = 0; i < 3; i++)
{
    var id = await lab.RunAsync(node, "busybox", $"grow-{i}",
        shellCommand: "while [ ! -f /go ]; do sleep 0.05; done; head -c 50000000 /dev/zero > /dev/shm/grown; sleep 3600");
    var chart = await context.NewPageAsync();
    await chart.GotoAsync($"{baseUrl}/nodes/{node.Name}/containers/{id}");
    var summary = chart.Locator("[data-testid=resource-summary][data-memory-bytes]");
    // A new container is read in its node's next round, which takes a while over 200 containers.
    await summary.WaitForAsync(new() { Timeout = 240_000 });
    var before = long.Parse((await summary.GetAttributeAsync("data-memory-bytes"))!, CultureInfo.InvariantCulture);
    using (var exec = Process.Start(new ProcessStartInfo("docker", ["-H", node.Endpoint, "exec", id, "touch", "/go"]) { RedirectStandardOutput = true })!)
        await exec.WaitForExitAsync();
    var t = Stopwatch.StartNew();
    await chart.WaitForFunctionAsync("min => Number(document.querySelector('[data-testid=resource-summary]')?.dataset.memoryBytes ?? 0) >= min",
        before + 40_000_000, new() { Timeout = 240_000, PollingInterval = 20 });
    latencies.Add(t.Elapsed.TotalMilliseconds);
    await chart.CloseAsync();
}

var results = new Dictionary<string, double>
{
    ["containers_page_first_row_paint_ms"] = containersMs,
    ["top_first_row_paint_ms"] = topMs,
    ["top_to_containers_ratio"] = topMs / containersMs,
    ["memory_change_to_open_chart_median_ms"] = Stats.Median(latencies),
    ["memory_change_to_open_chart_max_ms"] = latencies.Max(),
};
Console.WriteLine($"{"measure",-44} {"value",10}");
foreach (var (k, v) in results) Console.WriteLine($"{k,-44} {v,10:0.00}");
Console.WriteLine($"Top ratio {topMs / containersMs:0.00} (target ≤ 1.20); memory change on the open chart after {Stats.Median(latencies):0} ms (median of {latencies.Count})");
Directory.CreateDirectory("bench/results");
await File.WriteAllTextAsync($"bench/results/top-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json", JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
