using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ControlPanel.Core.Logs;

/// <summary>
/// One viewer's view of a followed container: a bounded queue. When the viewer cannot keep up, lines
/// are not queued but counted, so server memory stays bounded and the skip count is exact.
/// Disposing it leaves the shared follower (the last viewer to leave stops the engine stream).
/// </summary>
public sealed class LogSubscription : IDisposable
{
    private readonly Channel<object> _queue;
    private readonly Action<LogSubscription> _leave;
    private long _skipped;
    private long _skippedReported;
    private long _delivered;
    private int _disposed;
    // The open run of skipped lines: written by the follower, closed by it (next queued line) or by the
    // reader when it has drained the queue (no next line may ever come); completed gaps go to the reader.
    private readonly Lock _gapGate = new();
    private DateTimeOffset _lastQueued = DateTimeOffset.MinValue;
    private DateTimeOffset _gapFrom;
    private DateTimeOffset _gapLast;
    private long _gapCount;
    private readonly System.Collections.Concurrent.ConcurrentQueue<LogGap> _gaps = new();

    internal LogSubscription(int capacity, Action<LogSubscription> leave)
    {
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _leave = leave;
    }

    /// <summary>Lines this viewer missed because it fell behind, since it subscribed.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);
    public long Delivered => Interlocked.Read(ref _delivered);

    internal void Offer(LogLine line)
    {
        lock (_gapGate)
        {
            if (_queue.Writer.TryWrite(line))
            {
                if (_gapCount > 0) _gaps.Enqueue(new LogGap(_gapFrom, line.Timestamp, _gapCount));
                _gapCount = 0;
                _lastQueued = line.Timestamp;
                return;
            }
            if (_gapCount++ == 0) _gapFrom = _lastQueued;
            _gapLast = line.Timestamp;
            Interlocked.Increment(ref _skipped);
        }
    }

    /// <summary>Closes a run of skipped lines at its last line once the queue is empty, so a log that goes quiet right after a skip still says where.</summary>
    private void CloseGapIfDrained()
    {
        lock (_gapGate)
        {
            if (_gapCount == 0 || _queue.Reader.Count > 0) return;
            _gaps.Enqueue(new LogGap(_gapFrom, _gapLast, _gapCount));
            _gapCount = 0;
            _lastQueued = _gapLast;
        }
    }

    // Notes must not be lost to a full queue: they are rare, so they wait for room.
    internal void Notify(string note, bool ended)
    {
        var notice = LogBatch.Notice(note, ended);
        if (_queue.Writer.TryWrite(notice))
        {
            if (ended) _queue.Writer.TryComplete();
            return;
        }
        _ = WriteWhenRoomAsync(notice, ended);
    }

    // The final notice closes the queue only once it is in: closing first would fail its pending write, and the
    // viewer would never learn that the container went away.
    private async Task WriteWhenRoomAsync(LogBatch notice, bool ended)
    {
        try
        {
            await _queue.Writer.WriteAsync(notice);
        }
        catch (ChannelClosedException)
        {
            return; // the viewer left (or an earlier notice ended the stream): nobody reads it
        }
        if (ended) _queue.Writer.TryComplete();
    }

    /// <summary>Batches of at most <paramref name="maxLines"/>, gathered for up to <paramref name="window"/>. Ends after an ended note or on cancellation.</summary>
    public async IAsyncEnumerable<LogBatch> ReadBatchesAsync(TimeSpan window, int maxLines, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        var lines = new List<LogLine>();
        var lastBatch = DateTime.MinValue;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            // At most one batch per window, but no wait after a quiet spell: a lone line goes out at once.
            var deadline = lastBatch + window;
            string? note = null;
            var ended = false;
            while (lines.Count < maxLines && note is null)
            {
                if (reader.TryRead(out var item))
                {
                    if (item is LogLine line) lines.Add(line);
                    else if (item is LogBatch notice) (note, ended) = (notice.Note, notice.Ended);
                    continue;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) break;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(left);
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token)) break;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
            lastBatch = DateTime.UtcNow;
            CloseGapIfDrained();
            var total = Interlocked.Read(ref _skipped);
            var skipped = total - _skippedReported;
            _skippedReported = total;
            Interlocked.Add(ref _delivered, lines.Count);
            var gaps = new List<LogGap>();
            while (_gaps.TryDequeue(out var gap)) gaps.Add(gap);
            yield return new LogBatch(lines.ToList(), skipped, note, ended) { Gaps = gaps };
            lines.Clear();
            if (ended) yield break;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        _leave(this);
    }
}
