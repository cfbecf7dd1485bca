using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Pipelines;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Bench;

/// <summary>
/// The panel's whole path: a service over the nodes (start-first, FastCGI health, the lab registry) with its push hook
/// and auto-deploy on. A round commits the one-file change, sends a GitHub-style signed push to the hook and times it
/// until the last replica serves the new version (each replica asked over FastCGI); the stages come from the
/// pipeline's records (its build's phases, its release, its deployment's pre-pull and rollout steps).
/// </summary>
public sealed class PanelPipeline(IReadOnlyList<NodeDefinition> nodes, int replicasPerNode, int parallelism, PhpApp app, string unique) : IAsyncDisposable
{
    public static readonly string[] Stages = ["fetch", "context", "build", "push", "release", "pre-pull", "rollout"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly PanelFactory _panel = new(withBrokenNode: false)
    {
        Settings = { ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:ControlPanel"] = "Warning" },
    };
    private readonly int _ports = LabContainers.NextPorts(3 * nodes.Count * replicasPerNode);
    private HttpClient _admin = default!;
    private string _hookPath = "";
    private string _secret = "";
    private string _before = new('0', 40);

    public string Service => $"pb{unique}";

    /// <summary>The node the last build ran on, where the CLI builds too (same builder cache).</summary>
    public string? BuildNode { get; private set; }

    /// <summary>Saves the service and its push hook, then takes the branch head through a first pipeline (not measured).</summary>
    public async Task StartAsync()
    {
        _admin = await _panel.CreateClientAsync(Role.Admin);
        await Ok(await _admin.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" }));
        var runtime = new
        {
            nodes = nodes.Select(n => n.Name).ToArray(), replicasPerNode, stopSignal = "SIGQUIT", stopTimeoutSeconds = 30,
            ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 3 * nodes.Count * replicasPerNode - 1 } },
            health = "FastCgi", fastCgiProbe = new { portName = "PORT" },
            // No monitor period: the CLI's rolling replace has none either.
            update = new { order = "StartFirst", parallelism, monitorSeconds = 0, progressDeadlineSeconds = 60 },
        };
        await Ok(await _admin.PutAsJsonAsync($"/api/services/{Service}", new
        {
            repositoryUrl = app.Repository.Path, branch = PhpApp.Branch, registry = "lab", imageRepository = $"bench/pipeline-panel-{unique}", runtime,
        }));
        var created = await Ok(await _admin.PutAsJsonAsync($"/api/services/{Service}/push-hook", new { autoDeploy = true }));
        var url = created.GetProperty("url").GetString()!;
        _hookPath = Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : url;
        _secret = created.GetProperty("secret").GetString()!;
        await RoundAsync(commit: false);
    }

    /// <summary>Commits the one-file change (unless told not to), triggers the pipeline and times it to the last replica serving it.</summary>
    public async Task<StageTimes> RoundAsync(bool commit = true)
    {
        var sha = commit ? app.Commit() : app.Repository.Git("rev-parse", "HEAD").Trim();
        var version = app.Version;
        using var watching = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var served = WatchReplicasAsync(version, clock, watching.Token);
        Pipeline pipeline;
        try
        {
            var id = await TriggerAsync(sha);
            do
            {
                await Task.Delay(50);
                pipeline = (await _admin.GetFromJsonAsync<Pipeline>($"/api/pipelines/{id}", Json))!;
            }
            while (!pipeline.IsFinished);
        }
        catch
        {
            await watching.CancelAsync();
            throw;
        }
        var finished = clock.Elapsed.TotalSeconds;
        if (pipeline.Status != PipelineStatus.Succeeded)
        {
            await watching.CancelAsync();
            throw new InvalidOperationException($"pipeline {pipeline.Id} {pipeline.Status} at {pipeline.FailedStage}: {pipeline.Message}");
        }
        var times = new StageTimes { ["total"] = await served, ["pipeline done"] = finished };
        await StagesAsync(pipeline, times);
        _before = sha;
        return times;
    }

    /// <summary>Sends the signed push and returns the pipeline it started.</summary>
    private async Task<Guid> TriggerAsync(string sha)
    {
        var delivery = Guid.NewGuid().ToString();
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["ref"] = $"refs/heads/{PhpApp.Branch}", ["before"] = _before, ["after"] = sha,
            ["repository"] = new { full_name = $"bench/{Service}", clone_url = app.Repository.Path },
            ["pusher"] = new { name = "bench", email = "bench@example.test" },
            ["head_commit"] = new { id = sha, message = $"version {app.Version}" },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, _hookPath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), body)));
        var receipt = await Ok(await _admin.SendAsync(request));
        return receipt.TryGetProperty("pipelineId", out var started) && started.ValueKind == JsonValueKind.String ? started.GetGuid()
            : throw new InvalidOperationException($"push {delivery} started no pipeline: {receipt}");
    }

    /// <summary>
    /// Asks every port of the service's range for index.php every 100 ms until as many ports as there are replicas
    /// answer the new version; returns when the last did, in seconds on <paramref name="clock"/>. A port that answered
    /// it is not asked again: only a new replica serves the new version, and none is stopped within the round.
    /// </summary>
    private async Task<double> WatchReplicasAsync(string version, Stopwatch clock, CancellationToken cancellationToken)
    {
        var replicas = nodes.Count * replicasPerNode;
        var serving = new HashSet<int>();
        var ports = Enumerable.Range(_ports, 3 * replicas).ToList();
        while (true)
        {
            var answers = await Task.WhenAll(ports.Where(p => !serving.Contains(p)).Select(async p => (Port: p, Serves: await PhpApp.ServesAsync(nodes[0], p, version, cancellationToken))));
            serving.UnionWith(answers.Where(a => a.Serves).Select(a => a.Port));
            if (serving.Count >= replicas) return clock.Elapsed.TotalSeconds;
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Each stage's duration from the records: build phases, the release stage, the deployment's pulls and what followed them.</summary>
    private async Task StagesAsync(Pipeline pipeline, StageTimes times)
    {
        var build = (await _admin.GetFromJsonAsync<Build>($"/api/builds/{pipeline.BuildId}", Json))!;
        BuildNode = build.Node;
        foreach (var phase in build.Phases) times[phase.Kind.ToString().ToLowerInvariant()] = phase.Duration!.Value.TotalSeconds;
        times["release"] = pipeline.Stages.Single(s => s.Kind == PipelineStageKind.Release).Duration!.Value.TotalSeconds;
        var deployment = (await _admin.GetFromJsonAsync<Deployment>($"/api/deployments/{pipeline.DeploymentId}", Json))!;
        var pulls = deployment.Steps.Where(s => s.Action == DeploymentStepAction.Pull).ToList();
        var pulled = pulls.Max(s => s.At + s.Duration!.Value);
        times["pre-pull"] = (pulled - pulls.Min(s => s.At)).TotalSeconds;
        times["rollout"] = (deployment.FinishedAt!.Value - pulled).TotalSeconds;
        if (Environment.GetEnvironmentVariable("BENCH_STEPS") == "1") PrintSteps(deployment, pulled);
        // The pipeline record's own view, to tell a slow stage from slow hand-offs between them.
        foreach (var stage in pipeline.Stages) times[$"{stage.Kind.ToString().ToLowerInvariant()} stage"] = stage.Duration!.Value.TotalSeconds;
        times["queued"] = ((pipeline.StartedAt ?? pipeline.CreatedAt) - pipeline.CreatedAt).TotalSeconds;
        times["pipeline record"] = pipeline.Duration!.Value.TotalSeconds;
        times["build record"] = build.Duration!.Value.TotalSeconds;
        times["deployment record"] = deployment.Duration!.Value.TotalSeconds;
    }

    /// <summary>Where the rollout's time goes: each action's count and mean, and the rollout's time no step accounts for.</summary>
    private static void PrintSteps(Deployment deployment, DateTimeOffset pulled)
    {
        var steps = deployment.Steps.Where(s => s.At >= pulled && s.Duration is not null).ToList();
        foreach (var action in steps.GroupBy(s => s.Action))
            Console.WriteLine($"  step {action.Key,-14} ×{action.Count(),3}  mean {action.Average(s => s.Duration!.Value.TotalMilliseconds),7:0} ms");
        var slots = steps.Where(s => s.Slot is not null).GroupBy(s => (s.Node, s.Slot)).Select(g =>
            (g.Max(s => s.At + s.Duration!.Value) - g.Min(s => s.At)).TotalMilliseconds - g.Sum(s => s.Duration!.Value.TotalMilliseconds)).ToList();
        if (slots.Count > 0) Console.WriteLine($"  per slot, time between its steps: mean {slots.Average():0} ms over {slots.Count} slots");
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes) await DockerCli.RemoveLabelledAsync(node.Endpoint, $"{ReplicaLabels.Service}={Service}");
        _admin?.Dispose();
        await _panel.DisposeAsync();
    }
}
