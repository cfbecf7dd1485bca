using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ControlPanel.Core.Logs;

/// <summary>Merges several subscriptions into one stream of batches, each batch ordered by timestamp.</summary>
public static class LogMerge
{
    /// <summary>Ends when every source has ended, or on cancellation.</summary>
    public static async IAsyncEnumerable<LogBatch> MergeAsync(IReadOnlyList<LogSubscription> sources, TimeSpan window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (sources.Count == 1)
        {
            await foreach (var b in sources[0].ReadBatchesAsync(window, 1000, cancellationToken)) yield return b;
            yield break;
        }
        var merged = Channel.CreateBounded<LogBatch>(new BoundedChannelOptions(64) { SingleReader = true });
        var pumps = sources.Select(async s =>
        {
            await foreach (var b in s.ReadBatchesAsync(window, 1000, cancellationToken)) await merged.Writer.WriteAsync(b with { Ended = false }, cancellationToken);
        }).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(t => merged.Writer.TryComplete(t.Exception), TaskScheduler.Default);
        await foreach (var first in merged.Reader.ReadAllAsync(cancellationToken))
        {
            // Gather what the other sources have ready so one batch interleaves them by time.
            var batch = new List<LogBatch> { first };
            while (merged.Reader.TryRead(out var more)) batch.Add(more);
            yield return new LogBatch(
                batch.SelectMany(b => b.Lines).OrderBy(l => l.Timestamp).ToList(),
                batch.Sum(b => b.Skipped),
                string.Join(" ", batch.Select(b => b.Note).OfType<string>()) is { Length: > 0 } note ? note : null,
                Ended: false) { Gaps = batch.SelectMany(b => b.Gaps).ToList() };
        }
        yield return LogBatch.Notice("Every source has ended.", ended: true);
    }
}
