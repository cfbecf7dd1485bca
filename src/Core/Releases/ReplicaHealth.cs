using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Releases;

/// <summary>A new replica failed: it exited, turned unhealthy, or missed the deadline.</summary>
internal sealed class ReplicaFailedException(string message) : ControlPanelException(message);

/// <summary>Whether a new replica counts as healthy: running, and healthy by the image's HEALTHCHECK or the panel's HTTP probe.</summary>
internal sealed class ReplicaHealth(IContainerEngine engine, IHttpProbe probe, TimeProvider time)
{
    /// <summary>Returns once the replica is healthy under the spec's check and stayed so for the monitor period; throws <see cref="ReplicaFailedException"/> saying why not.</summary>
    public async Task WaitHealthyAsync(NodeDefinition node, string id, ReplicaContainer replica, RuntimeSpec spec, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow().AddSeconds(spec.Update.ProgressDeadlineSeconds);
        while (true)
        {
            var state = await engine.InspectStatusAsync(node, id, cancellationToken);
            Check(state);
            var (healthy, why) = await HealthAsync(node, state, replica, spec, cancellationToken);
            if (healthy) break;
            if (time.GetUtcNow() > deadline)
                throw new ReplicaFailedException($"not healthy within the progress deadline of {spec.Update.ProgressDeadlineSeconds} s ({why})");
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
        // It must stay healthy for the monitor period to count.
        var until = time.GetUtcNow().AddSeconds(spec.Update.MonitorSeconds);
        while (time.GetUtcNow() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            var state = await engine.InspectStatusAsync(node, id, cancellationToken);
            Check(state);
            if (spec.Health == HealthKind.Http && await HealthAsync(node, state, replica, spec, cancellationToken) is (false, var why))
                throw new ReplicaFailedException($"stopped passing its HTTP probe during the monitor period ({why})");
        }

        static void Check(ContainerStatus state)
        {
            if (!state.Running) throw new ReplicaFailedException($"exited with code {state.ExitCode}{(state.Detail is null ? "" : ": " + state.Detail)}");
            if (state.Health == ContainerHealth.Unhealthy) throw new ReplicaFailedException($"unhealthy{(state.Detail is null ? "" : ": " + state.Detail)}");
        }
    }

    /// <summary>Whether the running replica counts as healthy under the spec's health check, and if not, why.</summary>
    private async Task<(bool Healthy, string Why)> HealthAsync(NodeDefinition node, ContainerStatus state, ReplicaContainer replica, RuntimeSpec spec, CancellationToken cancellationToken)
    {
        switch (spec.Health)
        {
            case HealthKind.None:
                return (true, "running");
            case HealthKind.Http:
                var http = spec.HttpProbe!;
                var port = http.Port ?? int.Parse(replica.Labels[ReplicaLabels.PortPrefix + http.PortName], System.Globalization.CultureInfo.InvariantCulture);
                var result = await probe.ProbeAsync(node, port, http.Path, TimeSpan.FromSeconds(http.TimeoutSeconds), cancellationToken);
                return (result.Healthy, "HTTP probe: " + result.Detail);
            default:
                return (state.Health is ContainerHealth.Healthy or ContainerHealth.None, $"health: {state.Health.ToString().ToLowerInvariant()}{(state.Detail is null ? "" : ", " + state.Detail)}");
        }
    }
}
