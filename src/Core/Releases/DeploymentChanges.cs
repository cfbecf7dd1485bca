using System.Collections.Concurrent;

namespace ControlPanel.Core.Releases;

/// <summary>
/// Wakes followers of a deployment (its page, the hub) when this instance stores a change to it — a step begun or
/// finished, the outcome — so they re-read it at once instead of polling the database. A deployment run by another
/// instance sharing the database is never signalled here; its followers re-read it every <see cref="FallbackPoll"/>.
/// </summary>
public sealed class DeploymentChanges(TimeProvider time)
{
    public static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _next = new();

    /// <summary>
    /// The next change of the deployment. Take it before reading the deployment, then wait for it with
    /// <see cref="WaitAsync"/>, so a change stored between the read and the wait is not missed.
    /// </summary>
    public Task Next(Guid deployment) =>
        _next.GetOrAdd(deployment, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Changed(Guid deployment)
    {
        if (_next.TryRemove(deployment, out var waiting)) waiting.TrySetResult();
    }

    /// <summary>Returns when <paramref name="next"/> happened or <see cref="FallbackPoll"/> passed, whichever is first.</summary>
    public async Task WaitAsync(Task next, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(FallbackPoll, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not run here, or quiet: re-read anyway.
        }
    }
}
