using System.Text.RegularExpressions;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// Builds with the engine's /build endpoint (the classic builder, which engines speaking API 1.41 run by default)
/// and pushes with /images/{name}/push, turning their JSON message streams into steps, log lines and layer progress.
/// </summary>
public sealed partial class DockerImageBuilder(DockerClientPool clients) : IImageBuilder
{
    public async Task<string> BuildAsync(NodeDefinition node, Stream context, ImageBuildSpec spec, IBuildProgress progress, CancellationToken cancellationToken)
    {
        var output = new BuildOutput(progress);
        var parameters = new ImageBuildParameters
        {
            Dockerfile = spec.Dockerfile,
            Tags = spec.Tags.ToList(),
            BuildArgs = spec.BuildArgs.ToDictionary(),
            // Intermediate containers go even when a step fails or the build is cancelled: nothing is left running.
            Remove = true,
            ForceRemove = true,
            // The lab's (and many hosts') engines have no bridge: RUN steps use the host's network, as the services do.
            NetworkMode = "host",
        };
        try
        {
            // Cancelling the token closes the connection, which makes the engine stop the build.
            await clients.For(node).Images.BuildImageFromDockerfileAsync(parameters, context, null, null, new MessageHandler(output.Handle), cancellationToken);
        }
        catch (Exception ex) when (DockerErrors.Translate(node.Name, null, ex) is { } translated)
        {
            throw translated is EngineRefusedException refused ? new ImageBuildFailedException(output.CurrentStep, refused.EngineMessage) : translated;
        }
        output.Flush();
        if (output.Error is { } error) throw new ImageBuildFailedException(output.CurrentStep, error);
        return output.ImageId ?? throw new ImageBuildFailedException(output.CurrentStep, "the engine ended the build without naming an image");
    }

    public async Task<string> PushAsync(NodeDefinition node, RegistryDefinition registry, RegistryCredentials? credentials, string repository, string tag, IBuildProgress progress, CancellationToken cancellationToken)
    {
        string? digest = null;
        string? error = null;
        var auth = credentials is null ? new AuthConfig() : new AuthConfig { Username = credentials.UserName, Password = credentials.Password, ServerAddress = registry.Host };
        void Handle(JSONMessage message)
        {
            if (message.Error?.Message is { Length: > 0 } failed) { error = failed; return; }
            if (message.Status is not { Length: > 0 } status) return;
            if (PushedDigest().Match(status) is { Success: true } m) digest = m.Groups[1].Value;
            if (message.ID is { Length: > 0 } layer)
            {
                progress.Layer(new LayerProgress(layer, status, message.Progress?.Current, message.Progress?.Total));
                if (message.Progress is null) progress.Log($"{layer}: {status}"); // byte counts go to the progress bars, not the log
            }
            else progress.Log(status);
        }
        try
        {
            await clients.For(node).Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, auth, new MessageHandler(Handle), cancellationToken);
        }
        catch (Exception ex) when (DockerErrors.Translate(node.Name, null, ex) is { } translated)
        {
            throw translated is EngineRefusedException refused ? new RegistryException(registry.Name, refused.EngineMessage) : translated;
        }
        if (error is not null) throw new RegistryException(registry.Name, $"push of {repository}:{tag} failed: {error}");
        return digest ?? throw new RegistryException(registry.Name, $"push of {repository}:{tag} ended without a digest");
    }

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();
}
