using ControlPanel.Core.Fleet;
using Docker.DotNet.Models;

namespace ControlPanel.TestSupport;

/// <summary>Containers that misbehave for real on a lab node, labelled as a service's replica so they show on its timeline.</summary>
public static class MisbehavingContainers
{
    /// <summary>Allocates until the kernel OOM-kills it under a 16 MiB limit (no swap): an oom event, then a death with 137.</summary>
    public static Task<string> RunOomAsync(LabContainers lab, NodeDefinition node, string service) =>
        RunAsync(lab, node, service, "oom", "sleep 1; tail /dev/zero", new HostConfig
        {
            NetworkMode = "host", Memory = 16 * 1024 * 1024, MemorySwap = 16 * 1024 * 1024,
        });

    /// <summary>Exits with 3 at once and is restarted by the engine, again and again (with the engine's growing back-off).</summary>
    public static Task<string> RunCrashLoopAsync(LabContainers lab, NodeDefinition node, string service) =>
        RunAsync(lab, node, service, "crashloop", "exit 3", new HostConfig
        {
            NetworkMode = "host", RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.Always },
        });

    /// <summary>Runs on, but its health check always fails (every second, one retry): unhealthy within seconds, and stays so.</summary>
    public static Task<string> RunUnhealthyAsync(LabContainers lab, NodeDefinition node, string service) =>
        RunAsync(lab, node, service, "unhealthy", "sleep 3600", new HostConfig { NetworkMode = "host" }, new HealthcheckConfig
        {
            Test = ["CMD", "false"], Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1), Retries = 1,
        });

    /// <summary>
    /// Runs a busybox shell <paramref name="command"/> under <paramref name="host"/>'s limits, labelled a replica of
    /// <paramref name="service"/> when one is given; removed with the run's containers.
    /// </summary>
    public static async Task<string> RunAsync(LabContainers lab, NodeDefinition node, string? service, string name, string command, HostConfig host,
        HealthcheckConfig? health = null)
    {
        var labels = new Dictionary<string, string> { [LabContainers.RunLabel] = lab.RunId };
        if (service is not null) labels[Core.Releases.ReplicaLabels.Service] = service;
        var client = lab.Client(node);
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"{lab.RunId}-{name}",
            Image = Lab.Image("busybox"),
            Labels = labels,
            Entrypoint = ["/bin/sh", "-c", command],
            HostConfig = host,
            Healthcheck = health,
        });
        await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }
}
