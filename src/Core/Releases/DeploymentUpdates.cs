using System.Runtime.CompilerServices;

namespace ControlPanel.Core.Releases;

/// <summary>
/// Follows a deployment for pages and the hub alike: as stored now, then again after each change, ending with the
/// finished deployment. The store is the record (every step is stored before its effect); a signal from this
/// instance says when to read it again, batched over <see cref="BatchWindow"/>. A deployment this instance does not
/// run (another instance sharing the database runs it) sends no signal here: it is re-read every <see cref="FallbackPoll"/>.
/// </summary>
public sealed class DeploymentUpdates(IReleaseStore store, DeploymentChanges changes, TimeProvider time)
{
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Ends after the finished deployment, or when the caller cancels. Throws <see cref="DeploymentNotFoundException"/>
    /// for an unknown id; a store that fails ends the stream with its exception.
    /// </summary>
    public async IAsyncEnumerable<Deployment> FollowAsync(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? sent = null;
        try
        {
            while (true)
            {
                var next = changes.Next(id); // before the read, so a change stored meanwhile wakes the wait below
                var deployment = await store.FindDeploymentAsync(id, cancellationToken) ?? throw new DeploymentNotFoundException(id);
                var version = Version(deployment);
                if (version != sent)
                {
                    sent = version;
                    yield return deployment;
                }
                if (deployment.IsFinished) yield break;
                await WaitAsync(id, next, cancellationToken);
            }
        }
        finally
        {
            // Nobody here signals a deployment another instance runs: drop its entry (waking any other follower to re-read).
            if (!changes.IsRunningHere(id)) changes.Changed(id);
        }
    }

    private async Task WaitAsync(Guid id, Task next, CancellationToken cancellationToken)
    {
        if (changes.IsRunningHere(id))
        {
            await next.WaitAsync(cancellationToken);
            await Task.Delay(BatchWindow, time, cancellationToken); // the steps that follow at once come in the same read
            return;
        }
        try
        {
            await next.WaitAsync(FallbackPoll, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Run elsewhere (or just ended here): re-read anyway.
        }
    }

    /// <summary>A change is a new step, a finished step or a new status.</summary>
    private static string Version(Deployment d) => $"{d.Status}|{d.Steps.Count}|{d.Steps.Count(s => s.Duration is not null)}";
}
