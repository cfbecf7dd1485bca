using System.Runtime.CompilerServices;

namespace ControlPanel.Core.Discovery;

/// <summary>The state of a watched Consul query: the last answer, and why it may be stale.</summary>
/// <param name="Value">The last good answer; default until the first one arrives.</param>
/// <param name="Error">Set while Consul fails: the last answer is kept and the reason shown beside it.</param>
public sealed record ConsulSnapshot<T>(T? Value, ulong Index, string? Error);

/// <summary>How a watch loop paces itself.</summary>
/// <param name="Wait">Sent as <c>wait</c>: how long Consul may hold each query.</param>
/// <param name="Burst">Queries that may follow each other without pause before the rate limit applies.</param>
/// <param name="MinimumInterval">Once the burst is spent, at most one query per interval (a token bucket).</param>
/// <param name="FirstRetry">Pause after the first failure; doubled after each further one.</param>
/// <param name="MaxRetry">The longest pause between attempts while Consul keeps failing.</param>
public sealed record WatchPacing(TimeSpan Wait, int Burst, TimeSpan MinimumInterval, TimeSpan FirstRetry, TimeSpan MaxRetry)
{
    public static WatchPacing Default { get; } = new(TimeSpan.FromSeconds(30), 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
}

/// <summary>
/// Runs a blocking query in a loop the way Consul's "Blocking Queries" page asks: the index rules of
/// <see cref="BlockingIndex"/> (applied by the client), a token bucket so a churning result degrades into paced
/// polling without delaying the quiet case, and a bounded exponential back-off while Consul fails.
/// </summary>
public static class ConsulWatch
{
    /// <summary>
    /// Yields the first answer, then each answer whose index moved, and one snapshot per failure (keeping the last
    /// value). Runs until the caller cancels <paramref name="cancellationToken"/> (the enumeration then throws OperationCanceledException).
    /// </summary>
    public static async IAsyncEnumerable<ConsulSnapshot<T>> FollowAsync<T>(
        Func<ulong, TimeSpan, CancellationToken, Task<Indexed<T>>> query, WatchPacing pacing, TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var bucket = new TokenBucket(pacing.Burst, pacing.MinimumInterval, time);
        var retry = new RetryDelay(pacing.FirstRetry, pacing.MaxRetry);
        T? last = default;
        ulong index = 0;
        var first = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(bucket.Take(), time, cancellationToken);
            Indexed<T>? answer = null;
            string? error = null;
            try
            {
                answer = await query(index, pacing.Wait, cancellationToken);
            }
            catch (ConsulException ex)
            {
                error = ex.Message;
            }
            if (answer is null)
            {
                yield return new ConsulSnapshot<T>(last, index, error);
                await Task.Delay(retry.Next(), time, cancellationToken);
                continue;
            }
            retry.Reset();
            index = answer.Index;
            if (!first && !answer.Changed) continue;
            first = false;
            last = answer.Value;
            yield return new ConsulSnapshot<T>(last, index, null);
        }
    }
}

/// <summary>Doubling pauses between failed attempts, capped; back to the first after a success.</summary>
public sealed class RetryDelay(TimeSpan first, TimeSpan max)
{
    private int _failures;

    public TimeSpan Next()
    {
        var delay = TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks << Math.Min(_failures, 30)));
        _failures++;
        return delay;
    }

    public void Reset() => _failures = 0;
}

/// <summary>
/// A token bucket (the rate limit Consul's docs suggest, with a burst of 2): <see cref="Take"/> says how long to wait
/// before the next query, zero while tokens remain.
/// </summary>
public sealed class TokenBucket(int burst, TimeSpan interval, TimeProvider time)
{
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();

    public TimeSpan Take()
    {
        var now = time.GetTimestamp();
        if (interval > TimeSpan.Zero)
            _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_refilledAt, now) / interval);
        else
            _tokens = burst;
        _refilledAt = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : interval * -_tokens;
    }
}
