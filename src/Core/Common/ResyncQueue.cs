using System.Threading.Channels;

namespace ControlPanel.Core.Common;

/// <summary>
/// A bounded queue of changes for a reader that can always catch up by re-reading the whole state. When the
/// reader falls behind by <see cref="Capacity"/> items, the queued items are dropped and one marker takes their
/// place: memory stays bounded, the writer never waits, and the reader resyncs once instead of working through
/// a backlog of changes that the resync makes moot.
/// </summary>
/// <remarks>Items written after the marker stay queued behind it; they describe changes the resync may already
/// include, so readers must treat each item as "re-read this", which is harmless to repeat.</remarks>
public sealed class ResyncQueue<T>
{
    private readonly Channel<Entry> _channel;
    private readonly Func<int, T> _marker;
    private readonly Lock _gate = new();
    private int _highWater;
    private int _overflows;
    private bool _completed;

    /// <param name="marker">Makes the marker from the number of items it replaces.</param>
    public ResyncQueue(int capacity, Func<int, T> marker)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _marker = marker;
        // Not SingleReader: an overflow drains the queue from the writer's side while the reader may be reading.
        _channel = Channel.CreateBounded<Entry>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
    }

    public int Capacity { get; }

    /// <summary>The items in order, a marker in place of each dropped run; ends when completed (throwing its error, if any) or cancelled.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in _channel.Reader.ReadAllAsync(cancellationToken))
            yield return entry.Dropped > 0 ? _marker(entry.Dropped) : entry.Item!;
    }

    /// <summary>The most items ever queued at once; never above <see cref="Capacity"/>.</summary>
    public int HighWater => Volatile.Read(ref _highWater);

    /// <summary>How often the queue was dropped for a marker.</summary>
    public int Overflows => Volatile.Read(ref _overflows);

    /// <summary>Queues the item, or on overflow replaces the queue with a marker. False once completed.</summary>
    public bool Write(T item)
    {
        lock (_gate)
        {
            if (_channel.Writer.TryWrite(new Entry(item, 0)))
            {
                _highWater = Math.Max(_highWater, _channel.Reader.Count);
                return true;
            }
            if (_completed) return false;
            var dropped = 1; // the item that did not fit
            // An earlier marker still queued is folded into this one, so the count of dropped items stays exact.
            while (_channel.Reader.TryRead(out var old)) dropped += Math.Max(old.Dropped, 1);
            _overflows++;
            return _channel.Writer.TryWrite(new Entry(default, dropped));
        }
    }

    public void Complete(Exception? error = null)
    {
        lock (_gate)
        {
            _completed = true;
            _channel.Writer.TryComplete(error);
        }
    }

    /// <summary>An item, or (Dropped above 0) the marker for that many dropped items.</summary>
    private readonly record struct Entry(T? Item, int Dropped);
}
