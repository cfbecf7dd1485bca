using System.Net;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.Http;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests.Http;

/// <summary>The probe against a real HTTP server on loopback, as a replica on a local node would answer.</summary>
public sealed class HttpReplicaProbeTests : IAsyncLifetime
{
    private readonly HttpListener _server = new();
    private readonly int _port = LabContainers.NextPort();
    private readonly HttpReplicaProbe _probe = new();
    private readonly NodeDefinition _local = new("local", "unix:///var/run/docker.sock", new Dictionary<string, string>());
    private Task _serving = Task.CompletedTask;
    private int _requests;
    private readonly System.Collections.Concurrent.ConcurrentBag<int> _clientPorts = [];

    public Task InitializeAsync()
    {
        _server.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _server.Prefixes.Add($"http://localhost:{_port}/");
        _server.Start();
        _serving = Task.Run(ServeAsync);
        return Task.CompletedTask;
    }

    private async Task ServeAsync()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            _clientPorts.Add(context.Request.RemoteEndPoint.Port); // a new connection comes from a new client port
            _ = Task.Run(async () =>
            {
                var response = context.Response;
                switch (context.Request.Url!.AbsolutePath)
                {
                    case "/ok" when context.Request.Url.Query is "" or "?full=1": response.StatusCode = 200; break;
                    case "/moved": response.StatusCode = 302; response.RedirectLocation = "/broken"; break;
                    case "/broken": response.StatusCode = 503; break;
                    case "/slow": await Task.Delay(3000); response.StatusCode = 200; break;
                    default: response.StatusCode = 404; break;
                }
                try
                {
                    response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    // The probe gave up first, or the test ended.
                }
            });
        }
    }

    [Theory]
    [InlineData("/ok", true, "answered 200")]
    [InlineData("/ok?full=1", true, "answered 200")] // the query is sent as a query, not escaped into the path
    [InlineData("/moved", true, "answered 302")] // a redirect is an answer; its target (503 here) is not probed
    [InlineData("/broken", false, "answered 503")]
    [InlineData("/missing", false, "answered 404")]
    public async Task Probe_IsHealthyOn2xxAnd3xxOnly_AndSaysWhatCameBack(string path, bool healthy, string detail)
    {
        var result = await _probe.ProbeAsync(_local, _port, path, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(healthy, result.Healthy);
        Assert.Contains($"GET http://127.0.0.1:{_port}{path} {detail}", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _requests);
    }

    [Fact]
    public async Task Probe_OfAReplicaThatDoesNotAnswerInTime_IsUnhealthy_NamingTheTimeout()
    {
        var result = await _probe.ProbeAsync(_local, _port, "/slow", TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Contains("did not answer within 1 s", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_OfAClosedPort_IsUnhealthy_WithTheConnectionError_AndATcpNodeIsProbedOnItsEndpointsHost()
    {
        var closed = LabContainers.NextPort();
        var tcpNode = new NodeDefinition("remote", "tcp://localhost:2376", new Dictionary<string, string>());

        var result = await _probe.ProbeAsync(tcpNode, closed, "/ok", TimeSpan.FromSeconds(5), CancellationToken.None);
        var answered = await _probe.ProbeAsync(tcpNode, _port, "/ok", TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Contains($"GET http://localhost:{closed}/ok failed:", result.Detail, StringComparison.Ordinal);
        Assert.True(answered.Healthy, answered.Detail);
        Assert.Contains($"GET http://localhost:{_port}/ok answered 200", answered.Detail, StringComparison.Ordinal); // the endpoint's host, not this machine
    }

    [Fact]
    public async Task EachProbe_OpensItsOwnConnection()
    {
        for (var i = 0; i < 3; i++) Assert.True((await _probe.ProbeAsync(_local, _port, "/ok", TimeSpan.FromSeconds(5), CancellationToken.None)).Healthy);

        Assert.Equal(3, _requests);
        Assert.Equal(3, _clientPorts.Distinct().Count());
    }

    public async Task DisposeAsync()
    {
        _server.Stop();
        _server.Close();
        await _serving;
        _probe.Dispose();
    }
}
