using ControlPanel.Core.Fleet;
using ControlPanel.Core.Registries;

namespace ControlPanel.Core.Builds;

/// <summary>Where a running build reports what it does; the live feed and the stored log both come from it.</summary>
public interface IBuildProgress
{
    void Log(string line);

    void Step(BuildStep step);

    void Layer(LayerProgress layer);
}

public sealed record ImageBuildSpec(string Dockerfile, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> BuildArgs);

/// <summary>Builds and pushes images through a node's Docker Engine API.</summary>
public interface IImageBuilder
{
    /// <summary>Builds from a tar context; throws <see cref="ImageBuildFailedException"/> naming the failing step. Returns the image id.</summary>
    Task<string> BuildAsync(NodeDefinition node, Stream context, ImageBuildSpec spec, IBuildProgress progress, CancellationToken cancellationToken);

    /// <summary>Pushes repository:tag; returns the manifest digest. Throws <see cref="RegistryException"/> with the registry's message.</summary>
    Task<string> PushAsync(NodeDefinition node, RegistryDefinition registry, RegistryCredentials? credentials, string repository, string tag, IBuildProgress progress, CancellationToken cancellationToken);
}

/// <summary>A Dockerfile step failed; <see cref="Step"/> is null when the engine failed before any step.</summary>
public sealed class ImageBuildFailedException(BuildStep? step, string engineMessage)
    : Common.ControlPanelException(step is null ? $"The build failed: {engineMessage}" : $"Step {step.Number}/{step.Total} ({step.Instruction}) failed: {engineMessage}")
{
    public BuildStep? Step { get; } = step;
    public string EngineMessage { get; } = engineMessage;
}
