using ControlPanel.Core.Resources;

namespace ControlPanel.Web.Components.Resources;

/// <summary>
/// The readings behind one scope's charts: history for the chosen range, then each new reading appended as its node's
/// sampler reports a round. Holds the scope's <see cref="IResourceUsage.Watch"/> handle (the live rate) until disposed.
/// </summary>
public sealed class ResourceChartsModel(IResourceUsage usage, ResourceScope scope) : IDisposable
{
    private readonly Lock _gate = new();
    private List<ResourceSample> _samples = [];
    // The newest reading, for the text summary; the chart gets it only at the range's resolution.
    private ResourceSample? _current;
    private IDisposable? _watch;
    private int _loadVersion;

    /// <summary>Raised after a reading was appended or history loaded; may come from a sampler's thread.</summary>
    public event Action? Changed;

    public ResourceScope Scope => scope;

    public HistoryRange Range { get; private set; } = HistoryRange.FifteenMinutes;

    /// <summary>The readings in range, oldest first (a copy).</summary>
    public IReadOnlyList<ResourceSample> Samples
    {
        get { lock (_gate) return _samples.ToList(); }
    }

    public ResourceSample? Current
    {
        get { lock (_gate) return _current ?? (_samples.Count > 0 ? _samples[^1] : null); }
    }

    /// <summary>Asks for live readings and follows them; history comes with <see cref="LoadAsync"/>.</summary>
    public void Start()
    {
        if (_watch is not null) return;
        _watch = usage.Watch(scope);
        usage.Sampled += OnSampled;
        Append(usage.Latest(scope));
    }

    /// <summary>Replaces the readings with the range's history, keeping live readings that arrived meanwhile.</summary>
    public async Task LoadAsync(HistoryRange range, CancellationToken cancellationToken)
    {
        int version;
        lock (_gate)
        {
            Range = range;
            version = ++_loadVersion;
        }
        var history = await usage.HistoryAsync(scope, range, cancellationToken);
        lock (_gate)
        {
            // A slower answer for a range the user has already left must not replace the newer one.
            if (version != _loadVersion) return;
            var lastOfHistory = history.Count > 0 ? history[^1].At : DateTimeOffset.MinValue;
            _samples = [.. history, .. _samples.Where(s => s.At > lastOfHistory)];
            Trim();
        }
        Changed?.Invoke();
    }

    /// <summary>Whether a round of <paramref name="node"/> can change this scope (a service's replicas may be on any node).</summary>
    internal bool Concerns(string node) => scope switch
    {
        ResourceScope.Container c => c.NodeName == node,
        ResourceScope.Node n => n.Name == node,
        _ => true,
    };

    private void OnSampled(string node)
    {
        if (Concerns(node) && Append(usage.Latest(scope))) Changed?.Invoke();
    }

    private bool Append(ResourceSample? latest)
    {
        if (latest is null) return false;
        lock (_gate)
        {
            if (_current is not null && latest.At <= _current.At) return false;
            _current = latest;
            // Live readings join the chart at the range's own resolution, so a page left open on 24 h holds about
            // 1,440 points per series, not a reading every 2 s for a day.
            if (_samples.Count > 0 && latest.At - _samples[^1].At < Resolution(Range)) return true;
            _samples.Add(latest);
            Trim();
            return true;
        }
    }

    private void Trim()
    {
        var since = latestAt() - Span(Range);
        var old = _samples.FindIndex(s => s.At >= since);
        if (old > 0) _samples.RemoveRange(0, old);

        DateTimeOffset latestAt() => _samples.Count > 0 ? _samples[^1].At : DateTimeOffset.UtcNow;
    }

    private static TimeSpan Resolution(HistoryRange range) => range switch
    {
        HistoryRange.OneHour => TimeSpan.FromSeconds(10),
        HistoryRange.OneDay => TimeSpan.FromMinutes(1),
        _ => TimeSpan.Zero,
    };

    public static TimeSpan Span(HistoryRange range) => range switch
    {
        HistoryRange.OneHour => TimeSpan.FromHours(1),
        HistoryRange.OneDay => TimeSpan.FromDays(1),
        _ => TimeSpan.FromMinutes(15),
    };

    public void Dispose()
    {
        usage.Sampled -= OnSampled;
        _watch?.Dispose();
        _watch = null;
    }
}
