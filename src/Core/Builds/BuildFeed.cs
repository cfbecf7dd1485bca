using System.Text;

namespace ControlPanel.Core.Builds;

/// <summary>What a viewer gets from <see cref="BuildFeed.Read"/>: log lines from its cursor on, and the current state.</summary>
public sealed record BuildFeedPage(IReadOnlyList<string> Lines, long NextLine, long LinesDropped, Build Build, IReadOnlyList<LayerProgress> Layers, long Version);

/// <summary>
/// The live state of one running build: its record, its log and push progress. Viewers (pages, the hub) read it
/// by cursor and wait for changes, so a slow viewer costs nothing and a late one sees everything so far.
/// </summary>
public sealed class BuildFeed(Build build) : IBuildProgress
{
    /// <summary>Lines kept in memory for viewers; the stored log keeps more (<see cref="MaxLogChars"/>).</summary>
    public const int MaxLines = 20_000;
    public const int MaxLogChars = 32 * 1024 * 1024;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly Dictionary<string, LayerProgress> _layers = [];
    private readonly StringBuilder _log = new();
    private readonly List<string> _secrets = [];
    private long _total;
    private long _version;
    private Build _build = build;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Build Current { get { lock (_gate) return _build; } }

    /// <summary>A value that must never show in the log (a registry password): replaced wherever it appears.</summary>
    public void Hide(string secret)
    {
        if (secret.Length >= 4) lock (_gate) _secrets.Add(secret);
    }

    public string Scrub(string text)
    {
        lock (_gate) foreach (var secret in _secrets) text = text.Replace(secret, Fleet.SecretMasking.Mask, StringComparison.Ordinal);
        return text;
    }

    public void Log(string line)
    {
        line = Scrub(line.TrimEnd('\r', '\n'));
        lock (_gate)
        {
            _lines.Add(line);
            _total++;
            if (_lines.Count > MaxLines) _lines.RemoveRange(0, _lines.Count - MaxLines);
            if (_log.Length < MaxLogChars) _log.Append(line).Append('\n');
            else if (_log.Length == MaxLogChars) _log.Append("[log cut: longer than the panel keeps]\n");
        }
        Signal();
    }

    public void Step(BuildStep step)
    {
        lock (_gate) _build = _build with { Steps = [.. _build.Steps.Where(s => s.Number != step.Number), step] };
        Signal();
    }

    public void Layer(LayerProgress layer)
    {
        lock (_gate) _layers[layer.Layer] = layer;
        Signal();
    }

    public Build Update(Func<Build, Build> change)
    {
        Build updated;
        lock (_gate) updated = _build = change(_build);
        Signal();
        if (updated.IsFinished) _ended.TrySetResult();
        return updated;
    }

    /// <summary>Completes when the build is over (its outcome stored and set here).</summary>
    public Task Ended => _ended.Task;

    public BuildFeedPage Read(long fromLine)
    {
        lock (_gate)
        {
            var first = _total - _lines.Count;
            var start = Math.Max(fromLine, first);
            var lines = _lines.Skip((int)(start - first)).ToList();
            return new BuildFeedPage(lines, start + lines.Count, start - fromLine, _build, _layers.Values.ToList(), _version);
        }
    }

    /// <summary>Completes at the next change (or at once if there was one since <paramref name="seen"/> was read).</summary>
    public Task WaitForChangeAsync(BuildFeedPage seen, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_version != seen.Version) return Task.CompletedTask;
            changed = _changed.Task;
        }
        return changed.WaitAsync(cancellationToken);
    }

    public string FullLog()
    {
        lock (_gate) return _log.ToString();
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _version++;
            (previous, _changed) = (_changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        previous.TrySetResult();
    }
}
