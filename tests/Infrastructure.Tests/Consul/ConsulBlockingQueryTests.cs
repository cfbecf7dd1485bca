using System.Collections.Concurrent;
using ControlPanel.Core.Discovery;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>The index rules and pacing of Consul's "Blocking Queries" page, through the real client and a recording Consul.</summary>
public sealed class ConsulBlockingQueryTests
{
    private static readonly WatchPacing Quick = new(TimeSpan.FromSeconds(1), 100, TimeSpan.Zero, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40));

    [Theory]
    [InlineData(0UL, 5UL, 5UL)]  // the first query learns the index
    [InlineData(5UL, 9UL, 9UL)]  // a change
    [InlineData(9UL, 9UL, 9UL)]  // the wait ran out
    [InlineData(9UL, 4UL, 0UL)]  // went backwards: start over
    [InlineData(0UL, 0UL, 1UL)]  // never block on 0
    [InlineData(3UL, 0UL, 0UL)]  // backwards to 0 resets; the next answer is then raised to 1 if it is 0 again
    public void Next_FollowsTheDocumentedRules(ulong sent, ulong received, ulong next) =>
        Assert.Equal(next, BlockingIndex.Next(sent, received));

    [Fact]
    public async Task Query_WhenTheIndexGoesBackwards_SendsZeroNext_AndAnIndexOfZeroBecomesOne()
    {
        var answers = new ConcurrentQueue<ulong>([10, 7, 0, 4]);
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ConsulDocExamples.CatalogNodes, answers.TryDequeue(out var i) ? i : 99));
        var client = ConsulClientContractTests.Client(consul.Address);

        var index = 0UL;
        for (var i = 0; i < 4; i++) index = (await client.NodesAsync(index, TimeSpan.FromSeconds(2), CancellationToken.None)).Index;

        Assert.Equal(["?index=0&wait=2s", "?index=10&wait=2s", "?index=0&wait=2s", "?index=1&wait=2s"], consul.Requests.Select(r => r.Query));
        Assert.Equal(4UL, index);
    }

    [Fact]
    public async Task Query_WithoutChange_SaysSo()
    {
        await using var consul = await RecordingConsul.StartAsync(_ => new ConsulAnswer(200, ConsulDocExamples.CatalogServices, 8));
        var client = ConsulClientContractTests.Client(consul.Address);

        var first = await client.ServicesAsync(0, TimeSpan.FromSeconds(1), CancellationToken.None);
        var second = await client.ServicesAsync(first.Index, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal((true, false), (first.Changed, second.Changed));
    }

    [Fact]
    public async Task Watch_AfterAFailure_ReportsItKeepsTheLastValue_AndRecovers()
    {
        var step = 0;
        await using var consul = await RecordingConsul.StartAsync(_ => Interlocked.Increment(ref step) switch
        {
            1 => new ConsulAnswer(200, ConsulDocExamples.CatalogNodes, 5),
            2 => new ConsulAnswer(500, "rpc error: No cluster leader"),
            3 => new ConsulAnswer(200, ConsulDocExamples.CatalogNodes, 5),
            _ => new ConsulAnswer(200, "[]", 6),
        });
        var client = ConsulClientContractTests.Client(consul.Address);
        using var stop = new CancellationTokenSource();

        var seen = new List<ConsulSnapshot<IReadOnlyList<CatalogNode>>>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var snapshot in ConsulWatch.FollowAsync(client.NodesAsync, Quick, TimeProvider.System, stop.Token))
            {
                seen.Add(snapshot);
                if (seen.Count == 3) await stop.CancelAsync();
            }
        });

        Assert.Equal(2, seen[0].Value!.Count);
        Assert.Contains("No cluster leader", seen[1].Error);
        Assert.Equal(2, seen[1].Value!.Count); // the last answer stays while Consul fails
        Assert.Empty(seen[2].Value!);           // the unchanged answer (index 5) after recovery was not yielded
        Assert.Null(seen[2].Error);
        Assert.Equal(["?index=0&wait=1s", "?index=5&wait=1s", "?index=5&wait=1s", "?index=5&wait=1s"], consul.Requests.Take(4).Select(r => r.Query));
    }

    [Fact]
    public void RetryDelay_DoublesUpToItsBound_AndStartsOverAfterASuccess()
    {
        var retry = new RetryDelay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        var delays = Enumerable.Range(0, 7).Select(_ => retry.Next().TotalSeconds).ToList();
        retry.Reset();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(1, retry.Next().TotalSeconds);
    }

    [Fact]
    public void TokenBucket_LetsABurstOfTwoThrough_ThenPacesToOnePerInterval()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var bucket = new TokenBucket(2, TimeSpan.FromSeconds(15), time);

        var waits = new[] { bucket.Take(), bucket.Take(), bucket.Take() };
        time.Advance(TimeSpan.FromSeconds(15));
        var afterWaiting = bucket.Take();
        time.Advance(TimeSpan.FromMinutes(5));
        var afterQuiet = new[] { bucket.Take(), bucket.Take() };

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(15)], waits);
        Assert.Equal(TimeSpan.FromSeconds(15), afterWaiting);
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero], afterQuiet);
    }
}
