using System.Runtime.CompilerServices;

namespace ControlPanel.Core.Pipelines;

/// <summary>
/// Follows a pipeline for pages and clients alike: as stored now, then again after each change, ending with the
/// finished pipeline. The store is the record (every change is stored before the pipeline goes on); a signal from
/// this instance says when to read it again. A pipeline another instance runs sends no signal here: it is re-read
/// every <see cref="FallbackPoll"/>.
/// </summary>
public sealed class PipelineUpdates(IPipelineStore store, PipelineChanges changes, TimeProvider time)
{
    public static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(1);

    /// <summary>Ends after the finished pipeline, or when the caller cancels. Throws <see cref="PipelineNotFoundException"/> for an unknown id.</summary>
    public async IAsyncEnumerable<Pipeline> FollowAsync(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? sent = null;
        try
        {
            while (true)
            {
                var next = changes.Next(id); // before the read, so a change stored meanwhile wakes the wait below
                var pipeline = await store.FindAsync(id, cancellationToken) ?? throw new PipelineNotFoundException(id);
                var version = Version(pipeline);
                if (version != sent)
                {
                    sent = version;
                    yield return pipeline;
                }
                if (pipeline.IsFinished) yield break;
                if (changes.IsRunningHere(id)) await next.WaitAsync(cancellationToken);
                else
                {
                    try
                    {
                        await next.WaitAsync(FallbackPoll, time, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        // Run elsewhere (or just ended here): re-read anyway.
                    }
                }
            }
        }
        finally
        {
            if (!changes.IsRunningHere(id)) changes.Wake(id); // nobody here signals it: drop its entry
        }
    }

    private static string Version(Pipeline p) =>
        $"{p.Status}|{p.Commit}|{p.BuildId}|{p.ReleaseNumber}|{p.DeploymentId}|{string.Join(",", p.Stages.Select(s => s.Status))}";
}
