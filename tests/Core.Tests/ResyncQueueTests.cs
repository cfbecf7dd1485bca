using ControlPanel.Core.Common;

namespace ControlPanel.Core.Tests;

public class ResyncQueueTests
{
    [Fact]
    public async Task Overflow_DropsTheQueueForOneMarker_NeverHoldingMoreThanItsCapacity()
    {
        var queue = new ResyncQueue<int>(capacity: 8, marker: dropped => -dropped);

        for (var i = 1; i <= 10_000; i++) queue.Write(i);
        queue.Complete();
        var read = new List<int>();
        await foreach (var item in queue.ReadAllAsync()) read.Add(item);

        Assert.Equal(8, queue.HighWater);
        Assert.True(queue.Overflows > 1);
        // One marker, folding every earlier one, then the items written after the last overflow, in order.
        var marker = Assert.Single(read, x => x < 0);
        Assert.Equal(marker, read[0]);
        Assert.Equal(10_000, -marker + read.Count - 1);
        Assert.Equal(Enumerable.Range(10_001 - (read.Count - 1), read.Count - 1), read.Skip(1));
    }

    [Fact]
    public async Task ReaderKeepingUp_GetsEveryItemAndNoMarker()
    {
        var queue = new ResyncQueue<int>(capacity: 4, marker: dropped => -dropped);
        var read = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            queue.Write(i);
            await foreach (var item in queue.ReadAllAsync())
            {
                read.Add(item);
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 100), read);
        Assert.Equal(0, queue.Overflows);
    }
}
