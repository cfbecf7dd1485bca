using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Builds;

/// <summary>
/// Stores one running build's record in the background, each write after the one asked before it. A phase's start is
/// shown at once (the feed) and stored without holding the phase: the database round trip (a read and a write, 1-3 ms
/// with SQLite) was part of every phase's measured time (pipeline bench, issue 19).
/// </summary>
internal sealed class BuildRecordWrites(IBuildStore store, ILogger logger)
{
    private Task _last = Task.CompletedTask;

    /// <summary>Stores this state of the record once the earlier writes are done; does not wait for it.</summary>
    public void Store(Build build)
    {
        var previous = _last;
        // Run off the caller's thread: SQLite's provider does its I/O synchronously inside the async calls.
        _last = Task.Run(async () =>
        {
            await previous;
            try
            {
                await store.UpdateAsync(build, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Not the build's failure: the outcome's write stores the whole record again, phases included.
                logger.LogWarning(ex, "Build {Build}: the start of a phase could not be stored; the outcome will store the whole record", build.Id);
            }
        });
    }

    /// <summary>Waits for every write asked so far, so that none lands after (and over) the outcome's.</summary>
    public Task FlushAsync() => _last;
}
