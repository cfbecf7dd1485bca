using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ControlPanel.TestSupport;

/// <summary>
/// A real HTTP server on a loopback port that webhooks are delivered to: it keeps every request and answers with
/// the queued status codes, then 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly Task _loop;

    public sealed record Received(string Body, IReadOnlyDictionary<string, string> Headers);

    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url { get; }

    /// <summary>The status answered once the queued answers are used up (200 unless a test changes it).</summary>
    public int Otherwise { get; set; } = 200;

    public WebhookReceiver(params int[] answers)
    {
        foreach (var answer in answers) _answers.Enqueue(answer);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (or 30 s passed) and returns them all.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); Requests.Count < count && DateTime.UtcNow < deadline;)
            await Task.Delay(50);
        return [.. Requests];
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
                Requests.Enqueue(new Received(body, headers));
            }
            context.Response.StatusCode = _answers.TryDequeue(out var status) ? status : Otherwise;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
