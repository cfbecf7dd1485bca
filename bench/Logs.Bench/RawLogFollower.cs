using System.Net.Sockets;
using ControlPanel.Infrastructure.Docker.Logs;

namespace ControlPanel.Bench;

/// <summary>
/// The baseline: GET /containers/{id}/logs?follow=1 straight from the engine's socket, each line's
/// latency taken as the moment it is read minus the engine's own timestamp on it.
/// </summary>
public static class RawLogFollower
{
    /// <summary>Latencies (ms) of lines written from 2 s after attaching (the page's window starts then too).</summary>
    public static async Task<List<double>> FollowAsync(string unixEndpoint, string containerId, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var from = DateTimeOffset.UtcNow.AddSeconds(2);
        var path = new Uri(unixEndpoint).AbsolutePath;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://docker"), Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync($"/containers/{containerId}/logs?follow=1&stdout=1&stderr=1&timestamps=1&tail=0", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var parser = new DockerLogFrameParser(tty: false);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(buffer, cancellationToken);
                if (read == 0) break;
                var now = DateTimeOffset.UtcNow;
                parser.Feed(buffer.AsSpan(0, read), (stream, line, _) =>
                {
                    var space = line.IndexOf((byte)' ');
                    if (space > 0 && DockerLogSource.TryParseTimestamp(System.Text.Encoding.ASCII.GetString(line[..space]), out var at) && at >= from)
                        latencies.Add((now - at).TotalMilliseconds);
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The measurement window ended.
        }
        return latencies;
    }
}
