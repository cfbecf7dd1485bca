using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace ControlPanel.Bench;

/// <summary>
/// The baseline: a plain blocking-query loop on <c>/v1/health/service/docker</c>, as consul-template runs one (index
/// and wait, the index reset to 0 when it goes backwards, no rate limit), noting when each node is first listed.
/// </summary>
public sealed class CatalogWatcher(Uri agent, string service)
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Node name → when the answer listing it first arrived.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> FirstSeen { get; } = new(StringComparer.Ordinal);

    public long Queries => Interlocked.Read(ref _queries);

    private long _queries;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ulong index = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(agent, $"/v1/health/service/{service}?index={index}&wait=30s"), cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var received = DateTimeOffset.UtcNow;
                Interlocked.Increment(ref _queries);
                response.EnsureSuccessStatusCode();
                foreach (var entry in JsonDocument.Parse(body).RootElement.EnumerateArray())
                    FirstSeen.TryAdd(entry.GetProperty("Node").GetProperty("Node").GetString()!, received);
                var next = ulong.Parse(response.Headers.GetValues("X-Consul-Index").Single(), CultureInfo.InvariantCulture);
                index = next < index ? 0 : next;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
