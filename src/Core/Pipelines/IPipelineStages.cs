using ControlPanel.Core.Security;

namespace ControlPanel.Core.Pipelines;

/// <summary>What the queue hands pipelines to: <see cref="PipelineRunner"/> in the panel.</summary>
public interface IPipelineStages
{
    /// <summary>Refuses a request that cannot run (unknown service, bad revision…) before anything is recorded; returns the revision to build.</summary>
    Task<string> CheckAsync(PipelineRequest request, Actor who, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the stages of a pipeline stored as running, storing each change, until it ends. <paramref name="cancel"/> is a
    /// user's cancel (the running stage is cancelled); <paramref name="stopping"/> the panel stopping (the record is left as is).
    /// </summary>
    Task RunAsync(Pipeline pipeline, Actor who, string? node, CancellationToken cancel, CancellationToken stopping);
}
