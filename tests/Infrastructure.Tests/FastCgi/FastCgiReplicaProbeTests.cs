using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.FastCgi;
using ControlPanel.Infrastructure.Sockets;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests.FastCgi;

/// <summary>
/// The FastCGI and TCP probes against the lab's real PHP-FPM (ping.path /ping answering pong), paused to hang it, and
/// against loopback listeners that misbehave the ways a broken server does.
/// </summary>
public sealed class FastCgiReplicaProbeTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly LabContainers _lab = new();
    private readonly NodeDefinition _node = Lab.SharedNodes[0];
    private readonly int _port = LabContainers.NextPort();
    private readonly FastCgiReplicaProbe _fastCgi = new();
    private readonly TcpReplicaProbe _tcp = new();
    private string _phpFpm = "";

    public async Task InitializeAsync()
    {
        _phpFpm = await _lab.RunAsync(_node, "php-fpm", "fpm", env: new Dictionary<string, string> { ["PORT"] = _port.ToString() });
        await LabContainers.WaitUntilAsync(async () => (await _tcp.ProbeAsync(_node, _port, Timeout, default)).Healthy, TimeSpan.FromSeconds(60), "PHP-FPM to listen");
    }

    [Fact]
    public async Task PhpFpmsPing_IsHealthy_AndTheTcpProbeToo()
    {
        var pinged = await _fastCgi.ProbeAsync(_node, _port, "/ping", "pong", Timeout, default);
        var connected = await _tcp.ProbeAsync(_node, _port, Timeout, default);

        Assert.True(pinged.Healthy, pinged.Detail);
        Assert.Equal($"FastCGI GET /ping on 127.0.0.1:{_port} answered 200 OK 'pong'", pinged.Detail);
        Assert.True(connected.Healthy, connected.Detail);
        Assert.Equal($"connecting to 127.0.0.1:{_port} succeeded", connected.Detail);
    }

    [Fact]
    public async Task AnotherExpectedResponse_OrAPathThatIsNotThePing_IsUnhealthy_SayingWhatCameBack()
    {
        var wrongResponse = await _fastCgi.ProbeAsync(_node, _port, "/ping", "pang", Timeout, default);
        var wrongPath = await _fastCgi.ProbeAsync(_node, _port, "/health", "pong", Timeout, default);

        Assert.False(wrongResponse.Healthy);
        Assert.Equal($"FastCGI GET /ping on 127.0.0.1:{_port} answered 200 OK 'pong', expected 'pang'", wrongResponse.Detail);
        Assert.False(wrongPath.Healthy);
        Assert.StartsWith($"FastCGI GET /health on 127.0.0.1:{_port} answered 404 Not Found", wrongPath.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHungPhpFpm_StillAcceptsConnections_SoTcpPasses_ButTheFastCgiProbeTimesOut()
    {
        var engine = _lab.Client(_node);
        await engine.Containers.PauseContainerAsync(_phpFpm);
        try
        {
            var connected = await _tcp.ProbeAsync(_node, _port, Timeout, default);
            var pinged = await _fastCgi.ProbeAsync(_node, _port, "/ping", "pong", Timeout, default);

            Assert.True(connected.Healthy, connected.Detail);
            Assert.False(pinged.Healthy);
            Assert.Equal($"FastCGI GET /ping on 127.0.0.1:{_port} did not answer within 2 s", pinged.Detail);
        }
        finally
        {
            await engine.Containers.UnpauseContainerAsync(_phpFpm);
        }
        Assert.True((await _fastCgi.ProbeAsync(_node, _port, "/ping", "pong", Timeout, default)).Healthy);
    }

    [Fact]
    public async Task APortWhereNothingListens_FailsBothProbes_WithTheConnectionError()
    {
        var closed = LabContainers.NextPort();

        var pinged = await _fastCgi.ProbeAsync(_node, closed, "/ping", "pong", Timeout, default);
        var connected = await _tcp.ProbeAsync(_node, closed, Timeout, default);

        Assert.False(pinged.Healthy);
        Assert.StartsWith($"FastCGI GET /ping on 127.0.0.1:{closed} failed: Connection refused", pinged.Detail, StringComparison.Ordinal);
        Assert.False(connected.Healthy);
        Assert.StartsWith($"connecting to 127.0.0.1:{closed} failed: Connection refused", connected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListenerThatAcceptsAndNeverAnswers_TimesOut()
    {
        using var listener = Listen(out var port);
        var accepting = listener.AcceptSocketAsync();

        var pinged = await _fastCgi.ProbeAsync(_node, port, "/ping", "pong", Timeout, default);

        Assert.False(pinged.Healthy);
        Assert.Equal($"FastCGI GET /ping on 127.0.0.1:{port} did not answer within 2 s", pinged.Detail);
        (await accepting).Dispose();
    }

    [Fact]
    public async Task AServerThatTalksWithoutEnd_IsUnhealthy_WithoutBeingReadToItsEnd()
    {
        using var listener = Listen(out var port);
        using var stop = new CancellationTokenSource();
        var talking = TalkWithoutEndAsync(listener, stop.Token);

        var pinged = await _fastCgi.ProbeAsync(_node, port, "/ping", "pong", TimeSpan.FromSeconds(30), default);

        Assert.False(pinged.Healthy);
        Assert.Equal($"FastCGI GET /ping on 127.0.0.1:{port} answered more than 64 KiB; a health check answers briefly", pinged.Detail);
        await stop.CancelAsync();
        await talking;
    }

    [Fact]
    public async Task AnHttpServerOnThePort_IsAProtocolError_NotHealthy()
    {
        using var listener = Listen(out var port);
        var answering = Task.Run(async () =>
        {
            using var client = await listener.AcceptSocketAsync();
            await client.SendAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        });

        var pinged = await _fastCgi.ProbeAsync(_node, port, "/ping", "pong", Timeout, default);

        Assert.False(pinged.Healthy);
        Assert.Equal($"FastCGI GET /ping on 127.0.0.1:{port} failed: sent a record of version 72, not FastCGI version 1", pinged.Detail);
        await answering;
    }

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    /// <summary>Answers any request with FCGI_STDOUT records of 60,000 bytes until stopped or the probe hangs up.</summary>
    private static async Task TalkWithoutEndAsync(TcpListener listener, CancellationToken stop)
    {
        using var client = await listener.AcceptSocketAsync(stop);
        using var record = new MemoryStream();
        FastCgiRecords.Write(record, FastCgiRecordType.Stdout, 1, new byte[60_000]);
        var bytes = record.ToArray();
        Assert.Equal(60_000, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4)));
        try
        {
            while (!stop.IsCancellationRequested) await client.SendAsync(bytes, stop);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The probe closed the connection, or the test ended.
        }
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();
}
