using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ControlPanel.Bench;

/// <summary>
/// Counts what the lab's engines reported in a time window: the lab is shared with other test runs, and every event of
/// an engine reaches the panel once per simulated host on it, so the panel's idle CPU is read beside this.
/// </summary>
public static class EngineEvents
{
    public static async Task<int> CountAsync(string endpoint, DateTimeOffset since, DateTimeOffset until)
    {
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).Build();
        var counter = new Counter();
        var parameters = new ContainerEventsParameters
        {
            Since = since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Until = until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The engine ends the stream at Until; the timeout only guards against one that does not.
        try { await client.System.MonitorEventsAsync(parameters, counter, timeout.Token); }
        catch (OperationCanceledException) { }
        return counter.Count;
    }

    // Progress<T> would post each report to the thread pool; this counts as the message is read.
    private sealed class Counter : IProgress<Message>
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Report(Message value) => Interlocked.Increment(ref _count);
    }
}
