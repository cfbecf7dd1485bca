using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>A drain step of a panel deployment: how long it took and what it says ("idle after 0.31 s").</summary>
public sealed record DrainStep(string Node, int? Slot, double Seconds, string Detail);

/// <summary>How one panel deployment ended, timed from the request to the moment it was seen finished.</summary>
public sealed record PanelOutcome(TimeSpan Took, string Status, string? Reason, IReadOnlyList<DrainStep> Drains);

/// <summary>
/// The panel's side, through its API as a Deployer would use it: the lab's nginx as a router service on the first node
/// (fixed port), PHP-FPM routed through it (nodes × replicas, FastCGI health, SIGQUIT, measured drain), and the same
/// PHP-FPM as the seed ran it (SIGTERM, no route) behind an nginx started by hand that lists its whole port range.
/// </summary>
public sealed class PanelStack(IReadOnlyList<NodeDefinition> nodes, int replicasPerNode, int drainSeconds, string unique, string label) : IAsyncDisposable
{
    private const string Repository = "lab/php-fpm";
    private readonly PanelFactory _panel = new(withBrokenNode: false)
    {
        // The panel's warnings (a rotation it could not bring in line) are worth seeing beside the table; its request logs are not.
        Settings = { ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:ControlPanel"] = "Warning" },
    };
    private readonly int _ports = LabContainers.NextPorts(1 + 2 * nodes.Count * replicasPerNode);
    private readonly int _seedPorts = LabContainers.NextPorts(1 + 2 * nodes.Count * replicasPerNode);
    private HttpClient _deployer = default!;

    public string Service => $"tb{unique}";
    public string Router => $"{Service}-nginx";
    public string Seed => $"{Service}-seed";
    public int V1 { get; private set; }
    public int V2 { get; private set; }
    /// <summary>v2 whose FastCGI ping answers what the probe does not expect: its first replica never gets healthy.</summary>
    public int Broken { get; private set; }
    public int SeedV1 { get; private set; }
    public int SeedV2 { get; private set; }

    public string ProxyUrl(int ms) => $"http://127.0.0.1:{_ports}/?ms={ms}";
    public string SeedProxyUrl(int ms) => $"http://127.0.0.1:{_seedPorts}/?ms={ms}";

    /// <summary>Saves the services, makes their releases and deploys the first version of each (not measured).</summary>
    public async Task StartAsync()
    {
        using (var admin = await _panel.CreateClientAsync(Role.Admin))
            await Ok(await admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" }));
        _deployer = await _panel.CreateClientAsync(Role.Deployer);

        await SaveAsync(Router, "lab/nginx", new Dictionary<string, object>
        {
            ["nodes"] = new[] { nodes[0].Name },
            ["router"] = true,
            ["ports"] = new[] { new { name = "PORT", @fixed = _ports } },
            ["health"] = "Http",
            ["httpProbe"] = new { path = "/nginx-health", portName = "PORT", timeoutSeconds = 2 },
            ["stopSignal"] = "SIGQUIT",
            ["update"] = new { monitorSeconds = 0 },
        });
        Succeeded(await DeployAsync(Router, await ReleaseTagAsync(Router, "1")));

        var route = new { router = Router, upstream = "fpm", portName = "PORT", file = LabNginx.UpstreamFile };
        await SaveAsync(Service, Repository, PhpRuntime(_ports, "SIGQUIT", route, "pong", progressDeadline: 60));
        V1 = await ReleaseTagAsync(Service, "1");
        V2 = await ReleaseTagAsync(Service, "2");
        await SaveAsync(Service, Repository, PhpRuntime(_ports, "SIGQUIT", route, "not-pong", progressDeadline: 5));
        Broken = await ReleaseTagAsync(Service, "2");
        await SaveAsync(Service, Repository, PhpRuntime(_ports, "SIGQUIT", route, "pong", progressDeadline: 60));
        Succeeded(await DeployAsync(Service, V1));

        // The seed: no route; nginx lists every port of the range, since a start-first replica moves to a new one.
        var seedNginx = await LabNginx.StartAsync(nodes[0], _seedPorts, label);
        await LabNginx.WriteUpstreamAsync(nodes[0], seedNginx, Enumerable.Range(_seedPorts + 1, 2 * nodes.Count * replicasPerNode));
        await SaveAsync(Seed, Repository, PhpRuntime(_seedPorts, "SIGTERM", route: null, "pong", progressDeadline: 60));
        SeedV1 = await ReleaseTagAsync(Seed, "1");
        SeedV2 = await ReleaseTagAsync(Seed, "2");
        Succeeded(await DeployAsync(Seed, SeedV1));
    }

    private Dictionary<string, object> PhpRuntime(int ports, string stopSignal, object? route, string pingResponse, int progressDeadline)
    {
        var runtime = new Dictionary<string, object>
        {
            ["nodes"] = nodes.Select(n => n.Name).ToArray(),
            ["replicasPerNode"] = replicasPerNode,
            ["ports"] = new[] { new { name = "PORT", rangeStart = ports + 1, rangeEnd = ports + 2 * nodes.Count * replicasPerNode } },
            ["health"] = "FastCgi",
            ["fastCgiProbe"] = new { portName = "PORT", response = pingResponse, timeoutSeconds = 2 },
            ["stopSignal"] = stopSignal,
            ["stopTimeoutSeconds"] = 30,
            ["drainDelaySeconds"] = drainSeconds,
            // No monitor period: the script has none either. One replica at a time, as the script goes.
            ["update"] = new { parallelism = 1, monitorSeconds = 0, progressDeadlineSeconds = progressDeadline },
        };
        if (route is not null) runtime["route"] = route;
        return runtime;
    }

    public async Task<PanelOutcome> DeployAsync(string service, int release) =>
        await FollowAsync(() => _deployer.PostAsJsonAsync($"/api/services/{service}/deployments", new { release })) ?? throw Missing("deployments");

    /// <summary>The panel's rollback: deploys the last release that succeeded before the current one.</summary>
    public async Task<PanelOutcome> RollbackAsync() =>
        await FollowAsync(() => _deployer.PostAsync($"/api/services/{Service}/rollback", null)) ?? throw Missing("rollback");

    /// <summary>The safe rolling restart; null when the panel has no such endpoint yet (404, or 405 while another method holds the path).</summary>
    public async Task<PanelOutcome?> RestartAsync() => await FollowAsync(() => _deployer.PostAsJsonAsync($"/api/services/{Service}/restart", new { }));

    private static InvalidOperationException Missing(string endpoint) => new($"the panel has no POST /api/services/{{name}}/{endpoint}");

    /// <summary>Starts a deployment and polls it until it ends; null when the endpoint is missing.</summary>
    private async Task<PanelOutcome?> FollowAsync(Func<Task<HttpResponseMessage>> start)
    {
        var clock = Stopwatch.StartNew();
        using var response = await start();
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) return null;
        var id = (await Ok(response)).GetProperty("id").GetGuid();
        JsonElement deployment;
        do
        {
            await Task.Delay(50);
            deployment = await _deployer.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}");
        }
        while (deployment.GetProperty("status").GetString() == "Running");
        var took = clock.Elapsed;
        var drains = deployment.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("action").GetString() == "drain")
            .Select(s => new DrainStep(s.GetProperty("node").GetString()!, s.GetProperty("slot").ValueKind == JsonValueKind.Number ? s.GetProperty("slot").GetInt32() : null,
                s.GetProperty("duration").ValueKind == JsonValueKind.String ? TimeSpan.Parse(s.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture).TotalSeconds : 0,
                s.GetProperty("detail").GetString() ?? "(unfinished)"))
            .ToList();
        var reason = deployment.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        return new PanelOutcome(took, deployment.GetProperty("status").GetString()!, reason, drains);
    }

    private static void Succeeded(PanelOutcome outcome)
    {
        if (outcome.Status != "Succeeded") throw new InvalidOperationException($"setup deployment {outcome.Status}: {outcome.Reason}");
    }

    private async Task SaveAsync(string service, string repository, object runtime) =>
        await Ok(await _deployer.PutAsJsonAsync($"/api/services/{service}", new { registry = "lab", imageRepository = repository, runtime }));

    private async Task<int> ReleaseTagAsync(string service, string tag) =>
        (await Ok(await _deployer.PostAsJsonAsync($"/api/services/{service}/releases", new { tag }))).GetProperty("number").GetInt32();

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
            foreach (var service in new[] { Service, Router, Seed })
                await DockerCli.RemoveLabelledAsync(node.Endpoint, $"{Core.Releases.ReplicaLabels.Service}={service}");
        _deployer?.Dispose();
        await _panel.DisposeAsync();
    }
}
