using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;

namespace ControlPanel.Core.Tests.Logs;

/// <summary>A viewer that is behind still hears of every replica that joined or left.</summary>
public sealed class LogFeedNoteTests
{
    [Fact]
    public async Task NotesWrittenWhileTheQueueIsFull_AreAllDelivered_NotDropped()
    {
        // No sources: only notes go through the feed; its followers are never asked.
        using var feed = new LogFeed(followers: null!, new FleetState(), capacity: 10);
        var written = Enumerable.Range(0, 200).Select(i => $"replica-{i} joined").ToList();
        foreach (var note in written) feed.Note(note); // far more than the queue's 64

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = new List<string>();
        await foreach (var batch in feed.ReadAsync(timeout.Token))
        {
            read.AddRange(batch.Note!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Chunk(2).Select(words => string.Join(' ', words)));
            if (read.Count >= written.Count) break;
        }

        Assert.Equal(written.Count, read.Count);
        Assert.Equal(written.ToHashSet(), read.ToHashSet());
    }
}
