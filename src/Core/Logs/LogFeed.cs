using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Logs;

/// <summary>
/// One viewer's merged log over a set of containers that may change while it is read: sources are added (a new
/// replica) and dropped (a removed one) without the stream ending, each labelled and coloured for the viewer.
/// Every source is a subscription to the shared <see cref="LogFollowers"/>; disposing the feed leaves them all.
/// </summary>
public sealed class LogFeed : IDisposable
{
    private readonly LogFollowers _followers;
    private readonly FleetState _state;
    private readonly int _capacity;
    private readonly Channel<LogBatch> _merged = Channel.CreateBounded<LogBatch>(new BoundedChannelOptions(64) { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Node, string Id), Followed> _current = [];
    private readonly List<LogSourceInfo> _known = [];
    private readonly LogSourceColours _colours = new();
    private readonly List<IDisposable> _owned = [];
    private bool _sealed;

    /// <param name="capacity">Lines queued per source before they count as skipped.</param>
    internal LogFeed(LogFollowers followers, FleetState state, int capacity) => (_followers, _state, _capacity) = (followers, state, capacity);

    /// <summary>Raised (from any thread) when a source is added or dropped.</summary>
    public event Action? SourcesChanged;

    /// <summary>The sources followed now, by label.</summary>
    public IReadOnlyList<LogSourceInfo> Sources
    {
        get { lock (_gate) return _current.Values.Select(f => f.Source).OrderBy(s => s.Label, StringComparer.Ordinal).ThenBy(s => s.Title, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>Every source followed since the feed opened (lines of a dropped one may still be shown): to label lines and read ranges.</summary>
    public IReadOnlyList<LogSourceInfo> Known
    {
        get { lock (_gate) return _known.ToList(); }
    }

    /// <summary>The source of a line; a line of no known source (read before the feed knew it) is labelled by its node.</summary>
    public LogSourceInfo SourceOf(LogLine line)
    {
        lock (_gate)
        {
            // Per line on the hot path: a loop over the few sources.
            foreach (var s in _known)
                if (s.Holds(line)) return s;
        }
        return new LogSourceInfo(line.Node, line.ContainerId, line.Node, line.Node, 0);
    }

    public bool IsFollowing(string node, string containerId)
    {
        lock (_gate) return _current.ContainsKey((node, containerId));
    }

    /// <summary>
    /// Follows a container ("node" and its id, id prefix or name), first with up to <paramref name="tail"/> recent lines.
    /// <paramref name="reserve"/> holds the viewer's quota for it until it is dropped. Throws as
    /// <see cref="LogFollowers.SubscribeAsync"/> does, and what <paramref name="reserve"/> throws.
    /// </summary>
    public async Task<LogSourceInfo> AddAsync(string node, string container, int tail, Func<IDisposable> reserve, CancellationToken cancellationToken)
    {
        var reservation = reserve();
        LogSubscription subscription;
        ContainerStatus status;
        try
        {
            (subscription, status) = await _followers.JoinAsync(node, container, tail, _capacity, cancellationToken);
        }
        catch
        {
            reservation.Dispose();
            throw;
        }
        var labels = _state.Find(node)?.Containers.GetValueOrDefault(status.Id)?.Labels;
        var (label, title) = LogSourceInfo.Describe(node, status.Name, labels);
        var followed = new Followed(new LogSourceInfo(node, status.Id, label, title, _colours.For(label)), subscription, reservation);
        lock (_gate)
        {
            if (_closed.IsCancellationRequested || !_current.TryAdd((node, status.Id), followed))
            {
                followed.Dispose(); // already followed (named twice), or the feed closed meanwhile
                return _current.TryGetValue((node, status.Id), out var existing) ? existing.Source : followed.Source;
            }
            if (!_known.Any(k => k.Node == node && k.ContainerId == status.Id)) _known.Add(followed.Source);
        }
        _ = Task.Run(() => PumpAsync(followed)); // until the source ends or is dropped; it removes itself
        SourcesChanged?.Invoke();
        return followed.Source;
    }

    /// <summary>Stops following the container; its lines already read stay.</summary>
    public void Drop(string node, string containerId)
    {
        Followed? followed;
        lock (_gate) _current.Remove((node, containerId), out followed);
        if (followed is null) return;
        followed.Dispose(); // its pump sees the subscription end
        SourcesChanged?.Invoke();
    }

    /// <summary>No source will be added any more: the feed ends once every source has (a fixed list of containers).</summary>
    public void Seal()
    {
        lock (_gate) _sealed = true;
        CompleteIfDone();
    }

    /// <summary>Disposed with the feed (what adds and drops its sources).</summary>
    internal void Own(IDisposable owned)
    {
        lock (_gate) _owned.Add(owned);
    }

    /// <summary>Internal note for the viewer (a replica joined or left), in order with the lines.</summary>
    /// <remarks>
    /// While the queue is full (the viewer is behind) the note waits for room rather than being dropped: a replica that
    /// joined or left unannounced would look like lines from nowhere. The wait ends with the feed.
    /// </remarks>
    internal void Note(string note)
    {
        var notice = LogBatch.Notice(note, ended: false);
        if (_merged.Writer.TryWrite(notice)) return;
        _ = _merged.Writer.WriteAsync(notice, _closed.Token).AsTask()
            .ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default); // closed meanwhile: nobody to tell
    }

    /// <summary>Merged batches, each ordered by timestamp. Ends after every source has ended once sealed, or on cancellation.</summary>
    public async IAsyncEnumerable<LogBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new List<LogBatch>();
        await foreach (var first in _merged.Reader.ReadAllAsync(cancellationToken))
        {
            // Gather what the other sources have ready so one batch interleaves them by time.
            batch.Add(first);
            while (_merged.Reader.TryRead(out var more)) batch.Add(more);
            yield return LogMerge.Combine(batch);
            batch.Clear();
        }
        yield return LogBatch.Notice(LogMerge.AllEnded, ended: true);
    }

    // Short batches: the page's render throttle already gathers ~100 ms; two 100 ms stages would add up.
    private async Task PumpAsync(Followed followed)
    {
        try
        {
            await foreach (var b in followed.Subscription.ReadBatchesAsync(TimeSpan.FromMilliseconds(20), 1000, _closed.Token))
            {
                var note = b.Note is null ? null : $"{followed.Source.Label}: {b.Note}";
                await _merged.Writer.WriteAsync(b with { Note = note, Ended = false }, _closed.Token);
                if (b.Ended) break;
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
        finally
        {
            bool dropped;
            var key = (followed.Source.Node, followed.Source.ContainerId);
            lock (_gate)
            {
                // Only this follow: the container may have been dropped and followed again under the same key since.
                dropped = _current.TryGetValue(key, out var current) && current == followed;
                if (dropped) _current.Remove(key);
            }
            followed.Dispose();
            if (dropped) SourcesChanged?.Invoke();
            CompleteIfDone();
        }
    }

    private void CompleteIfDone()
    {
        lock (_gate)
        {
            if (_sealed && _current.Count == 0) _merged.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        List<Followed> followed;
        List<IDisposable> owned;
        lock (_gate)
        {
            if (_closed.IsCancellationRequested) return;
            _closed.Cancel();
            followed = [.. _current.Values];
            _current.Clear();
            owned = [.. _owned];
        }
        foreach (var o in owned) o.Dispose();
        foreach (var f in followed) f.Dispose();
        _merged.Writer.TryComplete();
    }

    private sealed record Followed(LogSourceInfo Source, LogSubscription Subscription, IDisposable Reservation) : IDisposable
    {
        public void Dispose()
        {
            Subscription.Dispose();
            Reservation.Dispose();
        }
    }
}
