using System.Net;
using ControlPanel.TestSupport;
using Microsoft.Data.Sqlite;

namespace ControlPanel.Web.Tests;

/// <summary>Anyone can send refused requests; they must not be able to fill the append-only audit log with them.</summary>
public sealed class AnonymousRefusalFloodTests : IAsyncLifetime
{
    private const int Requests = 1200;
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-flood-").FullName;
    private PanelFactory _factory = default!;

    private string DatabaseFile => Path.Combine(_folder, "panel.db");

    public Task InitializeAsync()
    {
        // The panel's own SQLite file outside its data folder, so it can be read after the panel has stopped.
        _factory = new PanelFactory();
        _factory.Settings["ControlPanel:Database:ConnectionString"] = $"Data Source={DatabaseFile}";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AnonymousJunkFlood_MakesAFewCountedRows_AndIsThrottled()
    {
        var http = _factory.CreateClient();
        var before = await AuditRowsAsync();
        var firstMinute = Minute(DateTimeOffset.UtcNow);

        var statuses = new List<HttpStatusCode>();
        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await http.GetAsync($"/api/junk-{i}", ct);
            lock (statuses) statuses.Add(response.StatusCode);
        });
        var minutes = (int)((Minute(DateTimeOffset.UtcNow) - firstMinute).TotalMinutes) + 1;

        Assert.Equal(Requests, statuses.Count(s => s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
        Assert.True(statuses.Count(s => s == HttpStatusCode.Unauthorized) <= 60 * minutes, $"{statuses.Count(s => s == HttpStatusCode.Unauthorized)} answered 401 in {minutes} minute(s)");
        var whileRunning = await AuditRowsAsync();
        Assert.InRange(whileRunning.Rows - before.Rows, 1, 2 * minutes);

        await _factory.DisposeAsync(); // stopping the panel writes the current minute's counts
        var after = await AuditRowsAsync();
        Assert.InRange(after.Rows - before.Rows, 2, 2 * minutes);
        Assert.Equal(Requests, after.Refusals - before.Refusals);
    }

    private async Task<(long Rows, long Refusals)> AuditRowsAsync()
    {
        await using var db = new SqliteConnection($"Data Source={DatabaseFile};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var query = new SqliteCommand("SELECT count(*), coalesce(sum(Count), 0) FROM audit_entries WHERE Action = 'access.unauthenticated'", db);
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
