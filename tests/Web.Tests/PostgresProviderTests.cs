using System.Net;
using System.Text.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>The app configured for PostgreSQL migrates at start and keeps its audit there.</summary>
public sealed class PostgresProviderTests : IAsyncLifetime
{
    private LabDatabase _database = default!;
    private PanelFactory _factory = default!;

    public async Task InitializeAsync()
    {
        _database = await LabDatabase.CreateAsync();
        _factory = new PanelFactory(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ActionsAreAuditedInPostgres()
    {
        var http = await _factory.CreateClientAsync(Core.Security.Role.Operator);
        var response = await http.PostAsync("/api/nodes/node1/containers/pg-ghost/start", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var audit = JsonDocument.Parse(await http.GetStringAsync("/api/audit?text=pg-ghost")).RootElement;
        var entry = Assert.Single(audit.EnumerateArray());
        Assert.False(entry.GetProperty("succeeded").GetBoolean());

        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM audit_entries WHERE \"Target\" = 'pg-ghost'", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }
}
