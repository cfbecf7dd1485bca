using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace ControlPanel.Bench;

/// <summary>
/// Asks the panel's <c>GET /api/nodes</c> again and again (the API has no push), noting when each node is first listed:
/// the answer's arrival, which is what a client sees; the resolution is the interval plus one call.
/// </summary>
public sealed class PanelApiWatcher(HttpClient api, TimeSpan interval)
{
    /// <summary>Node name → when the first answer listing it arrived.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> FirstSeen { get; } = new(StringComparer.Ordinal);

    public List<double> CallMs { get; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var clock = Stopwatch.StartNew();
                var body = await api.GetStringAsync("/api/nodes", cancellationToken);
                var received = DateTimeOffset.UtcNow;
                lock (CallMs) CallMs.Add(clock.Elapsed.TotalMilliseconds);
                foreach (var node in JsonDocument.Parse(body).RootElement.EnumerateArray())
                    FirstSeen.TryAdd(node.GetProperty("name").GetString()!, received);
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The last answer's node names (a fresh call).</summary>
    public async Task<IReadOnlyList<JsonElement>> ListAsync() =>
        JsonDocument.Parse(await api.GetStringAsync("/api/nodes")).RootElement.EnumerateArray().ToList();
}
