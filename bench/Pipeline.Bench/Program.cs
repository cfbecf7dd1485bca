using System.Globalization;
using System.Text.Json;
using ControlPanel.Bench;
using ControlPanel.TestSupport;

// Pipeline benchmark (issue 19): a one-file change of a PHP app from the git push to every replica serving it, three ways
// in the same run: the panel's whole pipeline (signed push webhook → build → release → deploy), each of its stages done
// by hand with git and the docker CLI, and the seed's way (git pull into a checkout mounted into php-fpm + SIGUSR2).
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var parallelism = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
const int replicasPerNode = 4;
var nodes = Lab.SharedNodes;
var unique = Guid.NewGuid().ToString("N")[..8];
var label = $"controlpanel.bench=pipeline-{unique}";
Console.WriteLine($"Pipeline benchmark: one-file change of a PHP app, {nodes.Count} nodes × {replicasPerNode} replicas, start-first, FastCGI health, " +
    $"parallelism {parallelism}, no monitor period; {runs} runs alternating who goes first");
var loadBefore = await Uptime();
Console.WriteLine($"uptime before: {loadBefore}");

using var app = new PhpApp(unique);
var panel = new PanelPipeline(nodes, replicasPerNode, parallelism, app, unique);
var cli = new CliPipeline(nodes, replicasPerNode, parallelism, app, unique, label);
var gitPull = new GitPullPath(nodes, app, label);
var results = new Dictionary<string, List<StageTimes>> { ["panel"] = [], ["cli"] = [], ["git-pull"] = [] };
try
{
    await panel.StartAsync();
    cli.BuildNode = nodes.First(n => n.Name == panel.BuildNode);
    await cli.StartAsync();
    await gitPull.StartAsync();
    Console.WriteLine($"setup: panel service {panel.Service} (builds on {panel.BuildNode}), CLI replicas and git-pull php-fpm running; warm-up done");
    Console.WriteLine($"{"run",4} {"first",-8} {"panel s",8} {"CLI s",7} {"git-pull s",10} {"panel/CLI",9} {"panel/git-pull",14}");

    var order = new (string Name, Func<Task<StageTimes>> Round)[] { ("panel", () => panel.RoundAsync()), ("cli", () => cli.RoundAsync()), ("git-pull", gitPull.RoundAsync) };
    for (var run = 1; run <= runs; run++)
    {
        foreach (var (name, round) in run % 2 == 1 ? order : order.Reverse())
        {
            results[name].Add(await round());
            if (name == "panel") cli.BuildNode = nodes.First(n => n.Name == panel.BuildNode);
        }
        var (p, c, g) = (results["panel"][^1]["total"], results["cli"][^1]["total"], results["git-pull"][^1]["total"]);
        Console.WriteLine($"{run,4} {(run % 2 == 1 ? order[0].Name : order[^1].Name),-8} {p,8:0.00} {c,7:0.00} {g,10:0.000} {p / c,9:0.00} {p / g,14:0.0}");
    }
}
finally
{
    await panel.DisposeAsync();
    await cli.DisposeAsync();
    await gitPull.DisposeAsync();
}

var loadAfter = await Uptime();
Console.WriteLine();
Console.Write(Report.Table(results["panel"], results["cli"], results["git-pull"]));
Console.WriteLine($"uptime after: {loadAfter}");

Directory.CreateDirectory("bench/results");
var file = $"bench/results/pipeline-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json";
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
{
    nodes = nodes.Count, replicasPerNode, parallelism, runs, loadBefore, loadAfter,
    panel = results["panel"], cli = results["cli"], gitPull = results["git-pull"],
}, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
Console.WriteLine($"written to {file}");

static async Task<string> Uptime() => await DockerCli.RunProcessAsync("uptime", []);
