using System.Runtime.CompilerServices;

namespace ControlPanel.Core.Builds;

/// <summary>A batch of a build's progress: new log lines, the record as it is now, and push progress per layer.</summary>
/// <param name="LinesDropped">Lines that scrolled out of the live buffer before this viewer read them (they are in the stored log).</param>
/// <param name="Ended">The build is over and everything has been sent.</param>
public sealed record BuildUpdate(IReadOnlyList<string> Lines, long LinesDropped, Build Build, IReadOnlyList<LayerProgress> Layers, bool Ended);

/// <summary>Follows a build for pages and the hub alike: everything so far first, then batches while it runs.</summary>
public sealed class BuildUpdates(BuildRunner runner, IBuildStore store)
{
    /// <summary>Ends after the update with <see cref="BuildUpdate.Ended"/>, or when the caller cancels.</summary>
    public async IAsyncEnumerable<BuildUpdate> FollowAsync(Guid id, TimeSpan window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (runner.Feed(id) is not { } feed)
        {
            var build = await store.FindAsync(id, cancellationToken) ?? throw new BuildNotFoundException(id);
            if (!build.IsFinished && runner.Feed(id) is { } started) feed = started;
            else
            {
                // Finished (or running on another instance): what is stored, once.
                var log = await store.ReadLogAsync(id, cancellationToken) ?? "";
                yield return new BuildUpdate(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), 0, build, [], build.IsFinished);
                yield break;
            }
        }
        long cursor = 0;
        while (true)
        {
            var page = feed.Read(cursor);
            cursor = page.NextLine;
            var ended = page.Build.IsFinished;
            yield return new BuildUpdate(page.Lines, page.LinesDropped, page.Build, page.Layers, ended);
            if (ended) yield break;
            await feed.WaitForChangeAsync(page, cancellationToken);
            // Batch: at most one update per window; but the end is sent at once, as whoever waits on a build waits for that.
            await Task.WhenAny(Task.Delay(window, cancellationToken), feed.Ended);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
