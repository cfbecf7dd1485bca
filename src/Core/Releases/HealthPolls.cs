namespace ControlPanel.Core.Releases;

/// <summary>
/// When a wait for a replica's health looks again: at once, then every <see cref="First"/> for <see cref="QuickFor"/> (a
/// PHP-FPM or web server is ready a few hundred milliseconds after its start, and a doubling wait would see it up to as
/// long again later), then backing off by half again each time to <see cref="Cap"/>, so a slow one costs few engine calls.
/// When the engine's own HEALTHCHECK runs next is known, the wait sleeps until then and polls quickly from there: the
/// status cannot change before.
/// </summary>
internal sealed class HealthPolls(TimeProvider time)
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan QuickFor = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(1);
    private readonly DateTimeOffset _started = time.GetUtcNow();
    /// <summary>The longest sleep until a known check: an engine whose clock runs ahead of the panel's costs at most this per look.</summary>
    public static readonly TimeSpan LongestUntilCheck = TimeSpan.FromSeconds(5);

    private TimeSpan _backoff = First;
    private DateTimeOffset? _nextCheck;

    /// <param name="nextCheck">When the engine runs the image's HEALTHCHECK next, by its clock (null: none, or not looked at).</param>
    public TimeSpan Next(DateTimeOffset? nextCheck = null)
    {
        if (nextCheck != _nextCheck)
        {
            // A new check was scheduled: sleep until it runs, then poll quickly for its result (the probe takes a moment).
            _nextCheck = nextCheck;
            _backoff = First;
            var until = nextCheck - time.GetUtcNow();
            if (until > TimeSpan.Zero) return until.Value < LongestUntilCheck ? until.Value : LongestUntilCheck;
        }
        var delay = _backoff;
        if (time.GetUtcNow() - _started >= QuickFor) _backoff = _backoff * 1.5 < Cap ? _backoff * 1.5 : Cap;
        return delay;
    }
}
