using ControlPanel.Core.Logs;

namespace ControlPanel.Core.Tests.Logs;

public class LogSubscriptionTests
{
    private static LogLine Line(int second) => new("node", "c1", LogStream.Stdout, DateTimeOffset.UnixEpoch.AddSeconds(second), second.ToString());

    [Fact]
    public async Task SkippedRun_FollowedByALine_IsLocatedBetweenTheDeliveredLines()
    {
        using var subscription = new LogSubscription(2, _ => { });
        for (var s = 1; s <= 5; s++) subscription.Offer(Line(s)); // 1, 2 queued; 3..5 skipped
        var first = await ReadOneAsync(subscription, maxLines: 1); // takes 1; 2 still queued, so the run stays open
        subscription.Offer(Line(6)); // queued: closes the run
        var second = await ReadOneAsync(subscription, maxLines: 1);

        Assert.Equal(["1", "2"], first.Lines.Concat(second.Lines).Select(l => l.Text));
        Assert.Equal(3, first.Skipped + second.Skipped);
        var gap = Assert.Single(first.Gaps.Concat(second.Gaps));
        Assert.Equal((Line(2).Timestamp, Line(6).Timestamp, 3L), (gap.From, gap.To, gap.Count));
    }

    [Fact]
    public async Task SkippedRun_AtTheEndOfAQuietLog_IsLocatedAtItsLastLine()
    {
        using var subscription = new LogSubscription(3, _ => { });
        for (var s = 1; s <= 10; s++) subscription.Offer(Line(s)); // 1..3 queued; 4..10 skipped, then silence
        var batch = await ReadOneAsync(subscription, maxLines: 100);

        Assert.Equal(7, batch.Skipped);
        var gap = Assert.Single(batch.Gaps);
        Assert.Equal((Line(3).Timestamp, Line(10).Timestamp, 7L), (gap.From, gap.To, gap.Count));
        Assert.Equal(3, subscription.Delivered);
    }

    [Fact]
    public async Task TheEndingNotice_ReachesAViewerWhoseQueueIsFull_AfterTheQueuedLines()
    {
        using var subscription = new LogSubscription(2, _ => { });
        subscription.Offer(Line(1));
        subscription.Offer(Line(2)); // the queue is full
        subscription.Notify("the container was removed", ended: true);

        var batches = new List<LogBatch>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var batch in subscription.ReadBatchesAsync(TimeSpan.FromMilliseconds(10), 1, timeout.Token)) batches.Add(batch);

        Assert.Equal(["1", "2"], batches.SelectMany(b => b.Lines).Select(l => l.Text));
        Assert.True(batches[^1].Ended);
        Assert.Equal("the container was removed", batches[^1].Note);
    }

    private static async Task<LogBatch> ReadOneAsync(LogSubscription subscription, int maxLines)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var batch in subscription.ReadBatchesAsync(TimeSpan.FromMilliseconds(10), maxLines, timeout.Token)) return batch;
        throw new InvalidOperationException("no batch");
    }
}
