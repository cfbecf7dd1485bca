namespace ControlPanel.Core.Resources;

/// <summary>A fixed number of a container's most recent history samples; the oldest is dropped when full. Thread-safe.</summary>
public sealed class SampleRing(int capacity)
{
    private readonly ResourceSample[] _items = new ResourceSample[capacity];
    private readonly Lock _gate = new();
    private int _start;
    private int _count;

    public int Capacity => capacity;

    public int Count
    {
        get { lock (_gate) return _count; }
    }

    public void Add(ResourceSample sample)
    {
        lock (_gate)
        {
            if (_count < capacity)
            {
                _items[(_start + _count) % capacity] = sample;
                _count++;
            }
            else
            {
                _items[_start] = sample;
                _start = (_start + 1) % capacity;
            }
        }
    }

    /// <summary>The samples at or after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<ResourceSample> Since(DateTimeOffset since)
    {
        lock (_gate)
        {
            var result = new List<ResourceSample>(_count);
            for (var i = 0; i < _count; i++)
            {
                var s = _items[(_start + i) % capacity];
                if (s.At >= since) result.Add(s);
            }
            return result;
        }
    }

    /// <summary>When the oldest sample kept was taken, or null when empty.</summary>
    public DateTimeOffset? Oldest
    {
        get { lock (_gate) return _count == 0 ? null : _items[_start].At; }
    }
}
