using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>A new replica failed: it exited, turned unhealthy, or missed the deadline.</summary>
internal sealed class ReplicaFailedException(string message) : ControlPanelException(message);

/// <summary>Whether a new replica counts as healthy: running, and healthy by the image's HEALTHCHECK or the panel's own HTTP, TCP or FastCGI probe.</summary>
public sealed class ReplicaHealth(IContainerEngine engine, IHttpProbe http, ITcpProbe tcp, IFastCgiProbe fastCgi, TimeProvider time)
{
    /// <summary>How long one probe of the spec's health check may take (0 when the panel does not probe): a wait for health may overrun its deadline by that.</summary>
    public static int ProbeTimeoutSeconds(RuntimeSpec spec) => spec.Health switch
    {
        HealthKind.Http => spec.HttpProbe?.TimeoutSeconds ?? 0,
        HealthKind.Tcp => spec.TcpProbe?.TimeoutSeconds ?? 0,
        HealthKind.FastCgi => spec.FastCgiProbe?.TimeoutSeconds ?? 0,
        _ => 0,
    };

    /// <summary>Returns once the replica is healthy under the spec's check and stayed so for the monitor period; throws <see cref="ReplicaFailedException"/> saying why not.</summary>
    /// <param name="labels">The replica's labels: they hold the ports it was given.</param>
    public async Task WaitHealthyAsync(NodeDefinition node, string id, IReadOnlyDictionary<string, string> labels, RuntimeSpec spec, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow().AddSeconds(spec.Update.ProgressDeadlineSeconds);
        var polls = new HealthPolls(time);
        while (true)
        {
            var state = await engine.InspectStatusAsync(node, id, cancellationToken);
            Check(state);
            var (healthy, why) = await HealthAsync(node, state, labels, spec, cancellationToken);
            if (healthy) break;
            if (time.GetUtcNow() > deadline)
                throw new ReplicaFailedException($"not healthy within the progress deadline of {spec.Update.ProgressDeadlineSeconds} s ({why})");
            // Only the image's HEALTHCHECK runs on the engine's schedule; the panel's own probes answer whenever asked.
            var wait = polls.Next(spec.Health == HealthKind.Image ? state.NextHealthCheckAt : null);
            var toDeadline = deadline - time.GetUtcNow();
            // The last look comes at the deadline, so a replica that never turns healthy fails on time.
            await Task.Delay(wait < toDeadline || toDeadline <= TimeSpan.Zero ? wait : toDeadline, time, cancellationToken);
        }
        // It must stay healthy for the monitor period to count: looked at often at first (a crash on start comes early), then each second.
        var until = time.GetUtcNow().AddSeconds(spec.Update.MonitorSeconds);
        var watch = new HealthPolls(time);
        while (time.GetUtcNow() < until)
        {
            var left = until - time.GetUtcNow();
            var next = watch.Next();
            await Task.Delay(next < left ? next : left, time, cancellationToken);
            var state = await engine.InspectStatusAsync(node, id, cancellationToken);
            Check(state);
            if (ProbeTimeoutSeconds(spec) > 0 && await HealthAsync(node, state, labels, spec, cancellationToken) is (false, var why))
                throw new ReplicaFailedException($"stopped passing its health probe during the monitor period ({why})");
        }

        static void Check(ContainerStatus state)
        {
            if (!state.Running) throw new ReplicaFailedException($"exited with code {state.ExitCode}{(state.Detail is null ? "" : ": " + state.Detail)}");
            if (state.Health == ContainerHealth.Unhealthy) throw new ReplicaFailedException($"unhealthy{(state.Detail is null ? "" : ": " + state.Detail)}");
        }
    }

    /// <summary>Whether the running replica counts as healthy under the spec's health check, and if not, why.</summary>
    private async Task<(bool Healthy, string Why)> HealthAsync(NodeDefinition node, ContainerStatus state, IReadOnlyDictionary<string, string> labels, RuntimeSpec spec, CancellationToken cancellationToken)
    {
        switch (spec.Health)
        {
            case HealthKind.None:
                return (true, "running");
            case HealthKind.Http:
                var h = spec.HttpProbe!;
                var answer = await http.ProbeAsync(node, Port(labels, h.PortName, h.Port), h.Path, TimeSpan.FromSeconds(h.TimeoutSeconds), cancellationToken);
                return (answer.Healthy, "HTTP probe: " + answer.Detail);
            case HealthKind.Tcp:
                var t = spec.TcpProbe!;
                var connected = await tcp.ProbeAsync(node, Port(labels, t.PortName, t.Port), TimeSpan.FromSeconds(t.TimeoutSeconds), cancellationToken);
                return (connected.Healthy, "TCP probe: " + connected.Detail);
            case HealthKind.FastCgi:
                var f = spec.FastCgiProbe!;
                var pinged = await fastCgi.ProbeAsync(node, Port(labels, f.PortName, f.Port), f.Path, f.Response, TimeSpan.FromSeconds(f.TimeoutSeconds), cancellationToken);
                return (pinged.Healthy, "FastCGI probe: " + pinged.Detail);
            default:
                return (state.Health is ContainerHealth.Healthy or ContainerHealth.None, $"health: {state.Health.ToString().ToLowerInvariant()}{(state.Detail is null ? "" : ", " + state.Detail)}");
        }
    }

    /// <summary>A probe's fixed port, or the replica's own port of that name (validation made sure it is one).</summary>
    private static int Port(IReadOnlyDictionary<string, string> labels, string? portName, int? port) =>
        port ?? int.Parse(labels[ReplicaLabels.PortPrefix + portName], System.Globalization.CultureInfo.InvariantCulture);
}
