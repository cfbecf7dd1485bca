using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ControlPanel.Infrastructure.Tests.Registry;

/// <summary>One request as the server saw it.</summary>
public sealed record SeenRequest(string Method, string Target, string Host, string? Authorization);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 that plays a registry (or a token service) behaving badly: it records every
/// request exactly as it arrived and answers through a handler that writes the raw response, one request per connection.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<SeenRequest, Stream, CancellationToken, Task> _handler;
    private readonly Task _accepting;

    public LoopbackHttpServer(Func<SeenRequest, Stream, CancellationToken, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Writes a whole response with Content-Length and closes the connection.</summary>
    public static async Task RespondAsync(Stream stream, int status, string body, CancellationToken cancellationToken, params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null) return;
                Requests.Enqueue(request);
                await _handler(request, stream, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // The client hung up (as it should on an oversized answer) or the server is stopping.
            }
        }
    }

    private static async Task<SeenRequest?> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0) return null;
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        var start = lines[0].Split(' ');
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();
        return new SeenRequest(start[0], start[1], Header("Host") ?? "", Header("Authorization"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
