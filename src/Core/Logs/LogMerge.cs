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
            yield return Combine(batch);
        }
        yield return LogBatch.Notice(AllEnded, ended: true);
    }

    public const string AllEnded = "Every source has ended.";

    /// <summary>Batches of several sources that were ready together, as one: lines interleaved by time, counts and notes added up.</summary>
    public static LogBatch Combine(IReadOnlyList<LogBatch> batches) =>
        batches.Count == 1 ? batches[0] with { Ended = false } : new LogBatch(
            batches.SelectMany(b => b.Lines).OrderBy(l => l.Timestamp).ToList(),
            batches.Sum(b => b.Skipped),
            string.Join(" ", batches.Select(b => b.Note).OfType<string>()) is { Length: > 0 } note ? note : null,
            Ended: false) { Gaps = batches.SelectMany(b => b.Gaps).ToList() };
}
