using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// Reads <c>GET /containers/{id}/stats?stream=false&amp;one-shot=true</c>: one snapshot without the engine's own
/// one-second wait for a second reading (the sampler keeps the previous counters). The CPU limit is not in the stats,
/// so each container is inspected for it, again after <see cref="CpuLimitLifetime"/>.
/// </summary>
public sealed class DockerContainerStatsReader(EngineHttp http, DockerClientPool clients) : IContainerStatsReader
{
    /// <summary>
    /// How long a container's CPU limit is trusted: long enough to cost one inspect per container in ten minutes, short
    /// enough to notice <c>docker update --cpus</c>; and stopped containers' entries go with the sweep.
    /// </summary>
    private static readonly TimeSpan CpuLimitLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(string Node, string Id), (double? Cores, DateTimeOffset ReadAt)> _cpuLimits = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.UtcNow;

    public async Task<ContainerCounters> ReadOnceAsync(NodeDefinition node, string containerId, CancellationToken cancellationToken)
    {
        var cpuLimit = await CpuLimitAsync(node, containerId, cancellationToken);
        return await DockerErrors.Call(node.Name, containerId, async () =>
        {
            using var response = await http.For(node).GetAsync($"/containers/{Uri.EscapeDataString(containerId)}/stats?stream=false&one-shot=true", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                _cpuLimits.TryRemove((node.Name, containerId), out _);
                throw new ContainerNotFoundException(node.Name, containerId);
            }
            // Bytes, not a string: JsonDocument reads UTF-8, and a node's round is hundreds of these.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw new EngineRefusedException(node.Name, $"HTTP {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body).Trim()}");
            using var json = JsonDocument.Parse(body);
            return DockerStatsJson.ToCounters(json.RootElement, cpuLimit);
        });
    }

    private async Task<double?> CpuLimitAsync(NodeDefinition node, string containerId, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (now - _lastSweep > CpuLimitLifetime)
        {
            _lastSweep = now;
            foreach (var (key, entry) in _cpuLimits)
                if (now - entry.ReadAt > CpuLimitLifetime) _cpuLimits.TryRemove(key, out _);
        }
        if (_cpuLimits.TryGetValue((node.Name, containerId), out var known) && now - known.ReadAt <= CpuLimitLifetime) return known.Cores;
        var host = await DockerErrors.Call(node.Name, containerId, async () =>
            (await clients.For(node).Containers.InspectContainerAsync(containerId, cancellationToken)).HostConfig);
        double? limit = host?.NanoCPUs > 0 ? host.NanoCPUs / 1e9
            : host?.CPUQuota > 0 && host.CPUPeriod > 0 ? (double)host.CPUQuota / host.CPUPeriod
            : null;
        _cpuLimits[(node.Name, containerId)] = (limit, now);
        return limit;
    }
}

/// <summary>The fields of the engine's stats document that make a <see cref="ContainerCounters"/>, cgroup v1 and v2 alike.</summary>
internal static class DockerStatsJson
{
    public static ContainerCounters ToCounters(JsonElement stats, double? cpuLimitCores)
    {
        var cpu = stats.GetProperty("cpu_stats");
        var memory = stats.TryGetProperty("memory_stats", out var m) ? m : default;
        var usage = Long(memory, "usage");
        // As `docker stats`: the inactive page cache can be reclaimed, so it is not counted as used.
        var stat = memory.ValueKind == JsonValueKind.Object && memory.TryGetProperty("stats", out var s) ? s : default;
        var inactive = Long(stat, "inactive_file") is > 0 and var v2 ? v2 : Long(stat, "total_inactive_file");
        long rx = 0, tx = 0;
        if (stats.TryGetProperty("networks", out var networks) && networks.ValueKind == JsonValueKind.Object)
        {
            foreach (var network in networks.EnumerateObject())
            {
                rx += Long(network.Value, "rx_bytes");
                tx += Long(network.Value, "tx_bytes");
            }
        }
        long read = 0, write = 0;
        if (stats.TryGetProperty("blkio_stats", out var blkio) && blkio.TryGetProperty("io_service_bytes_recursive", out var io) && io.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in io.EnumerateArray())
            {
                var op = entry.TryGetProperty("op", out var o) ? o.GetString() : null;
                if (string.Equals(op, "read", StringComparison.OrdinalIgnoreCase)) read += Long(entry, "value");
                else if (string.Equals(op, "write", StringComparison.OrdinalIgnoreCase)) write += Long(entry, "value");
            }
        }
        var onlineCpus = (int)Long(cpu, "online_cpus");
        if (onlineCpus == 0 && cpu.TryGetProperty("cpu_usage", out var perCpu) && perCpu.TryGetProperty("percpu_usage", out var list) && list.ValueKind == JsonValueKind.Array)
            onlineCpus = list.GetArrayLength();
        var at = stats.TryGetProperty("read", out var r) && DateTimeOffset.TryParse(r.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1
            ? t
            : DateTimeOffset.UtcNow;
        return new ContainerCounters(
            at,
            (ulong)Long(cpu.GetProperty("cpu_usage"), "total_usage"),
            (ulong)Long(cpu, "system_cpu_usage"),
            onlineCpus,
            cpuLimitCores,
            inactive > 0 && inactive < usage ? usage - inactive : usage,
            Long(memory, "limit"),
            rx,
            tx,
            read,
            write,
            (int)(stats.TryGetProperty("pids_stats", out var pids) ? Long(pids, "current") : 0));
    }

    private static long Long(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var l) ? l : value.TryGetUInt64(out var u) ? (long)Math.Min(u, long.MaxValue) : (long)value.GetDouble()
            : 0;
}
