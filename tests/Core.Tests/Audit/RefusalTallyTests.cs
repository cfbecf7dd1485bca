using ControlPanel.Core.Audit;
using Microsoft.Extensions.Time.Testing;

namespace ControlPanel.Core.Tests.Audit;

public sealed class RefusalTallyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 5, TimeSpan.Zero));

    [Fact]
    public void Flood_FromOneClient_IsOneRecordThenCountedThenThrottled_AndOneRowWhenTheMinuteEnds()
    {
        var tally = new RefusalTally(_time, maxClients: 100, limitPerMinute: 60);

        var verdicts = Enumerable.Range(0, 1000).Select(i => tally.Count("10.0.0.1", $"GET /api/junk{i}")).ToList();

        Assert.Equal(RefusalVerdict.Record, verdicts[0]);
        Assert.Equal(59, verdicts.Count(v => v == RefusalVerdict.Counted));
        Assert.Equal(940, verdicts.Count(v => v == RefusalVerdict.Throttled));
        Assert.Empty(tally.TakeEnded(includeCurrent: false));
        _time.Advance(TimeSpan.FromMinutes(1));
        var row = Assert.Single(tally.TakeEnded(includeCurrent: false));
        Assert.Equal(999, row.Count);
        Assert.Equal("10.0.0.1", row.ClientAddress);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), row.At);
        Assert.Contains("GET /api/junk999", row.Detail, StringComparison.Ordinal);
        Assert.Equal(RefusalVerdict.Record, tally.Count("10.0.0.1", "GET /api/again"));
    }

    [Fact]
    public void ClientsBeyondTheCap_ShareOneOtherClientsRow_AndEveryRefusalIsCounted()
    {
        var tally = new RefusalTally(_time, maxClients: 3, limitPerMinute: 60);
        var recorded = 0;

        for (var client = 0; client < 10; client++)
        for (var i = 0; i < 5; i++)
            if (tally.Count($"10.0.0.{client}", "GET /api/x") == RefusalVerdict.Record) recorded++;

        var rows = tally.TakeEnded(includeCurrent: true);
        Assert.Equal(4, rows.Count);
        Assert.Single(rows, r => r.ClientAddress is null && r.Target.Contains(RefusalTally.OtherClients, StringComparison.Ordinal));
        Assert.Equal(4, recorded);
        Assert.Equal(50, recorded + rows.Sum(r => r.Count));
    }
}
