using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using ControlPanel.Core.Releases;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>The operations a deployment needs: pull, create and list a service's replicas.</summary>
public sealed partial class DockerContainerEngine
{
    public Task PullAsync(NodeDefinition node, string image, RegistryCredentials? credentials, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, null, async () =>
        {
            string? error = null;
            var auth = credentials is null ? new AuthConfig() : new AuthConfig { Username = credentials.UserName, Password = credentials.Password };
            await clients.For(node).Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image }, auth,
                new MessageHandler(m => error ??= m.Error?.Message), cancellationToken);
            // The engine reports a failed pull inside the stream, after answering 200.
            if (error is not null) throw new EngineRefusedException(node.Name, error);
        });

    public Task<string> CreateAsync(NodeDefinition node, ReplicaContainer replica, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, null, async () =>
        {
            var created = await clients.For(node).Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Name = replica.Name,
                Image = replica.Image,
                Env = replica.Environment.ToList(),
                Cmd = replica.Command?.ToList()!, // null: the image's own command
                Labels = replica.Labels.ToDictionary(),
                // In the container's own configuration, so every stop — ours or by hand — is graceful (API < 1.42 ignores a signal on the stop call).
                StopSignal = replica.StopSignal,
                StopTimeout = TimeSpan.FromSeconds(replica.StopTimeoutSeconds),
                Healthcheck = replica.IgnoreImageHealthcheck ? new HealthcheckConfig { Test = ["NONE"] } : null,
                HostConfig = new HostConfig
                {
                    NetworkMode = "host",
                    Memory = replica.MemoryBytes ?? 0,
                    NanoCPUs = replica.Cpus is { } cpus ? (long)(cpus * 1e9) : 0,
                    RestartPolicy = new RestartPolicy { Name = Policy(replica.RestartPolicy) },
                    Binds = replica.Volumes.ToList(),
                    Init = replica.Init ? true : null, // null: the engine's own default (no init)
                },
            }, cancellationToken);
            return created.ID;
        });

    public Task<IReadOnlyList<ContainerSummary>> ListServiceReplicasAsync(NodeDefinition node, string service, CancellationToken cancellationToken) =>
        DockerErrors.Call<IReadOnlyList<ContainerSummary>>(node.Name, null, async () =>
        {
            var rows = await clients.For(node).Containers.ListContainersAsync(Filter("label", $"{ReplicaLabels.Service}={service}"), cancellationToken);
            return rows.Select(r => DockerMapping.ToSummary(node.Name, r)).ToList();
        });

    private static RestartPolicyKind Policy(string name) => name switch
    {
        "always" => RestartPolicyKind.Always,
        "on-failure" => RestartPolicyKind.OnFailure,
        "unless-stopped" => RestartPolicyKind.UnlessStopped,
        _ => RestartPolicyKind.No,
    };
}
