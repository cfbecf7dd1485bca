using System.Net.Sockets;

namespace ControlPanel.Bench;

/// <summary>The baseline: plain HTTP over each engine's unix socket, no client library, no panel.</summary>
public sealed class RawEngineClient : IDisposable
{
    private readonly HttpClient _http;

    public RawEngineClient(string unixEndpoint)
    {
        var path = new Uri(unixEndpoint).AbsolutePath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker") };
    }

    /// <summary>GET /containers/json?all=1, body read in full; returns the body length.</summary>
    public async Task<int> ListAllAsync() => (await _http.GetByteArrayAsync("/containers/json?all=1")).Length;

    public void Dispose() => _http.Dispose();
}
