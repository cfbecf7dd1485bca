using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.TestSupport;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The panel's own telemetry, from a real panel process over the lab: its Prometheus endpoint behind an API token,
/// and its OTLP export (traces, with the engine calls in them) to a receiver on loopback; the panel's log entries
/// carry the trace id of what they were written in. One panel and one deployment serve every test here.
/// </summary>
public sealed class PanelTelemetryTests(PanelTelemetryTests.TelemetryPanel panel) : IClassFixture<PanelTelemetryTests.TelemetryPanel>
{
    [Fact]
    public async Task Metrics_WithoutAValidToken_Are401()
    {
        using var anonymous = new HttpClient { BaseAddress = panel.Process.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cpt_not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_WithAToken_ShowEngineCallsByNodeAndOperation_HttpRequests_AndTheDeployment()
    {
        var node = Regex.Escape(Lab.SharedNodes[0].Name);
        (await panel.Api.GetAsync("/api/containers")).EnsureSuccessStatusCode();
        var text = "";
        // The exporter caches a scrape for a moment: ask until what happened before shows.
        await LabContainers.WaitUntilAsync(async () =>
        {
            var response = await panel.Api.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            return text.Contains("http_route=\"/api/containers\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the scrape to show the API read");

        Assert.Matches(new Regex($@"^controlpanel_engine_call_duration_seconds_count\{{[^}}]*node=""{node}""[^}}]*operation=""containers\.list""[^}}]*\}} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex($@"^controlpanel_engine_call_duration_seconds_count\{{[^}}]*node=""{node}""[^}}]*operation=""containers\.create""[^}}]*\}} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^http_server_request_duration_seconds_count\{[^}]*http_route=""/api/containers""[^}]*\} [1-9]", RegexOptions.Multiline), text);
        // Exactly the one deployment this panel ran.
        Assert.Matches(new Regex(@"^controlpanel_deployments_total\{[^}]*kind=""Release""[^}]*outcome=""Succeeded""[^}]*\} 1(\s|$)", RegexOptions.Multiline), text);
        // No path with an id ever becomes an operation.
        Assert.DoesNotMatch(new Regex(@"operation=""[^""]*/", RegexOptions.Multiline), text);
    }

    [Fact]
    public async Task Otlp_ReceivesTraceExports_WithEngineCallSpans()
    {
        (await panel.Api.GetAsync("/api/nodes")).EnsureSuccessStatusCode();
        await LabContainers.WaitUntilAsync(() => Task.FromResult(panel.Receiver.Traces().Any(body => Contains(body, "engine containers.create"u8))),
            TimeSpan.FromSeconds(30), "a trace export with the deployment's engine calls");
        Assert.All(panel.Receiver.Paths(), path => Assert.StartsWith("/v1/", path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDeploymentsLogEntry_CarriesTheTraceIdOfAnExportedTrace()
    {
        var entry = panel.Process.Output.Split('\n')
            .Where(line => line.StartsWith('{') && line.Contains(panel.DeploymentId.ToString(), StringComparison.Ordinal) && line.Contains("Succeeded", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .First(e => e.GetProperty("Category").GetString() == "ControlPanel.Core.Releases.DeploymentRunner");
        var traceId = entry.GetProperty("Scopes").EnumerateArray()
            .Select(s => s.TryGetProperty("TraceId", out var id) ? id.GetString() : null).Single(id => id is not null)!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        // OTLP carries trace ids as 16 raw bytes.
        var raw = Convert.FromHexString(traceId);
        await LabContainers.WaitUntilAsync(() => Task.FromResult(panel.Receiver.Traces().Any(body => Contains(body, raw))),
            TimeSpan.FromSeconds(30), $"an exported trace with id {traceId}");
    }

    [Fact]
    public async Task FollowingALogThroughTheHub_IsAnOpenLogStream_AndATracedHubCall()
    {
        var (node, container) = await panel.ReplicaAsync();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(panel.Process.BaseAddress, "/hubs/logs"), o =>
            {
                o.Transports = HttpTransportType.LongPolling; // the token goes in a header on every request
                o.AccessTokenProvider = () => Task.FromResult<string?>(panel.Token);
            })
            .Build();
        await hub.StartAsync();
        using var following = new CancellationTokenSource();
        var stream = hub.StreamAsync<JsonElement>("Follow", node, container, 10, following.Token).GetAsyncEnumerator(following.Token);
        var reading = stream.MoveNextAsync().AsTask();
        var open = new Regex($@"^controlpanel_log_streams_open\{{[^}}]*node=""{Regex.Escape(node)}""[^}}]*\}} 1(\s|$)", RegexOptions.Multiline);
        await LabContainers.WaitUntilAsync(async () => open.IsMatch(await panel.Api.GetStringAsync("/metrics")), TimeSpan.FromSeconds(30), "the open log stream in the scrape");

        await following.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { while (await reading) reading = stream.MoveNextAsync().AsTask(); });
        await LabContainers.WaitUntilAsync(() => Task.FromResult(panel.Receiver.Traces().Any(body => Contains(body, "LogsHub/Follow"u8))),
            TimeSpan.FromSeconds(30), "a trace export with the hub call");
    }

    private static bool Contains(byte[] body, ReadOnlySpan<byte> what) => body.AsSpan().IndexOf(what) >= 0;

    /// <summary>A panel process exporting over OTLP (http/protobuf) to a loopback receiver, logging JSON, with one service deployed once.</summary>
    public sealed class TelemetryPanel : IAsyncLifetime
    {
        private readonly string _service = "otel-" + Guid.NewGuid().ToString("N")[..8];
        private readonly int _ports = LabContainers.NextPorts(2);
        private readonly LabContainers _engines = new();

        public OtlpReceiver Receiver { get; } = new();
        public PanelProcess Process { get; private set; } = default!;
        public HttpClient Api { get; } = new();
        public Guid DeploymentId { get; private set; }
        public string Token { get; private set; } = "";

        /// <summary>The node and container id of the service's one replica.</summary>
        public async Task<(string Node, string Container)> ReplicaAsync()
        {
            var (node, c) = (await _engines.ServiceReplicasAsync(_service)).Single();
            return (node, c.ID);
        }

        public async Task InitializeAsync()
        {
            Process = new PanelProcess(new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Address.ToString().TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                // Export within a moment instead of the default 5 s.
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
                ["Logging__Console__FormatterName"] = "json",
            });
            await Process.RunCommandAsync("correct horse battery staple", "admin", "create", "--user", "lead", "--password-stdin", "--role", "Admin");
            var token = Token = await Process.RunCommandAsync(null, "token", "create", "--user", "lead");
            await Process.StartAsync();
            Api.BaseAddress = Process.BaseAddress;
            Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            await OkAsync(Api.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}" }));
            await OkAsync(Api.PutAsJsonAsync($"/api/services/{_service}", new
            {
                registry = "lab", imageRepository = "lab/web",
                runtime = new { nodes = new[] { Lab.SharedNodes[0].Name }, ports = new[] { new { name = "PORT", rangeStart = _ports, rangeEnd = _ports + 1 } }, update = new { monitorSeconds = 0 } },
            }));
            var release = await (await Api.PostAsJsonAsync($"/api/services/{_service}/releases", new { tag = "1" })).Content.ReadFromJsonAsync<JsonElement>();
            var deployment = await (await Api.PostAsJsonAsync($"/api/services/{_service}/deployments", new { release = release.GetProperty("number").GetInt32() })).Content.ReadFromJsonAsync<JsonElement>();
            DeploymentId = deployment.GetProperty("id").GetGuid();
            var status = "";
            await LabContainers.WaitUntilAsync(async () => (status = (await Api.GetFromJsonAsync<JsonElement>($"/api/deployments/{DeploymentId}")).GetProperty("status").GetString()!) is not "Running",
                TimeSpan.FromSeconds(90), "the deployment to finish");
            Assert.True(status == "Succeeded", $"the deployment ended {status}: {Process.Output}");
        }

        private static async Task OkAsync(Task<HttpResponseMessage> call)
        {
            var response = await call;
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        public async Task DisposeAsync()
        {
            foreach (var (node, c) in await _engines.ServiceReplicasAsync(_service))
                await _engines.Client(Lab.SharedNodes.Single(n => n.Name == node)).Containers.RemoveContainerAsync(c.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
            await _engines.DisposeAsync();
            await Process.DisposeAsync();
            Receiver.Dispose();
            Api.Dispose();
        }
    }

    /// <summary>Accepts OTLP/HTTP exports on loopback and keeps each request's path and body.</summary>
    public sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, byte[] Body)> _received = [];
        private readonly Task _loop;

        public OtlpReceiver()
        {
            Address = new Uri($"http://127.0.0.1:{LabContainers.NextPort()}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _loop = Task.Run(AcceptAsync);
        }

        public Uri Address { get; }

        public IReadOnlyList<byte[]> Traces()
        {
            lock (_received) return _received.Where(r => r.Path == "/v1/traces").Select(r => r.Body).ToList();
        }

        public IReadOnlyList<string> Paths()
        {
            lock (_received) return _received.Select(r => r.Path).ToList();
        }

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_received) _received.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
                // An empty body is an empty Export*ServiceResponse: everything accepted.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}

/// <summary>A panel with no OTEL_* settings: it exports nothing, and its plain console log still names each entry's trace.</summary>
public sealed class DefaultRunTelemetryTests : IAsyncLifetime
{
    private readonly PanelProcess _panel = new(withLabNodes: false);

    public Task InitializeAsync() => _panel.StartAsync();

    public Task DisposeAsync() => _panel.DisposeAsync().AsTask();

    [Fact]
    public async Task ALogEntryWrittenDuringARequest_CarriesItsTraceId()
    {
        using var anonymous = new HttpClient { BaseAddress = _panel.BaseAddress };
        // Refused: the token scheme logs its challenge, inside the request.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        await LabContainers.WaitUntilAsync(() => Task.FromResult(_panel.Output.Contains("was challenged", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the challenge to be logged");
        var lines = _panel.Output.Split('\n');
        var message = Array.FindIndex(lines, l => l.Contains("AuthenticationScheme: ApiToken was challenged", StringComparison.Ordinal));
        // The simple console format writes an entry's scopes on the line above its message.
        Assert.Matches(new Regex(@"TraceId:[0-9a-f]{32}"), lines[message - 1]);
    }
}
