using System.Collections.Concurrent;
using System.Net;

namespace ControlPanel.TestSupport;

/// <summary>
/// Loops of POST requests, each on a new connection (as a browser behind a proxy that closes them would), until
/// stopped; every answer and every failure is counted, with the failures' texts kept to say what went wrong.
/// </summary>
public sealed class PostLoad : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _answered;

    /// <summary>Every answer's status and body (the app's version), in arrival order.</summary>
    public ConcurrentQueue<(HttpStatusCode Status, string Body)> Answers { get; } = new();

    /// <summary>Requests that got no answer at all (reset, refused), with why.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public int Answered => Volatile.Read(ref _answered);

    public static PostLoad Start(string url, int loops)
    {
        var load = new PostLoad();
        for (var i = 0; i < loops; i++) load._loops.Add(Task.Run(() => load.LoopAsync(url, i)));
        return load;
    }

    /// <summary>Waits until <paramref name="count"/> more answers came (the load is flowing), at most 60 s.</summary>
    public async Task WaitForAnswersAsync(int count)
    {
        var until = Answered + count;
        await LabContainers.WaitUntilAsync(() => Task.FromResult(Answered >= until || !Failures.IsEmpty), TimeSpan.FromSeconds(60), $"{count} answers through the proxy");
    }

    /// <summary>Stops the loops after their requests in flight end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    private async Task LoopAsync(string url, int loop)
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent($"loop={loop}&n={n++}") };
            request.Headers.ConnectionClose = true;
            try
            {
                // Not cancelled by the stop: a request in flight is answered, or counted as failed.
                using var response = await _http.SendAsync(request);
                Answers.Enqueue((response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim()));
                Interlocked.Increment(ref _answered);
            }
            catch (HttpRequestException ex)
            {
                Failures.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {ex.Message} {ex.InnerException?.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }
}
