using System.Net;
using System.Text.Json;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ControlPanel.Web.Tests;

/// <summary>
/// An action is audited before the engine is asked: with the audit log unwritable the action is refused and
/// the container untouched; with it writable there is one entry per action, with its outcome.
/// </summary>
public sealed class AuditBeforeActionTests : IAsyncLifetime
{
    private readonly LabContainers _containers = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-audit-first-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _containers.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Stop_WhileTheSqliteDatabaseIsLockedForWriting_IsRefused_AndTheContainerKeepsRunning()
    {
        var file = Path.Combine(_folder, "panel.db");
        await using var panel = new PanelFactory();
        // The panel's own file, and a short busy wait so a held write lock fails fast instead of after 30 s.
        panel.Settings["ControlPanel:Database:ConnectionString"] = $"Data Source={file};Default Timeout=2";
        var http = await panel.CreateClientAsync(Role.Operator);
        (await http.GetAsync("/api/nodes")).EnsureSuccessStatusCode(); // the token's last-use write happens now, not under the lock
        var node = Lab.SharedNodes[0];
        var id = await _containers.RunAsync(node, "sigquit", "audit-locked", stopSignal: "SIGQUIT");

        await using (var locker = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await locker.OpenAsync();
            await ExecuteAsync(locker, "BEGIN IMMEDIATE"); // another process holds the write lock
            var refused = await http.PostAsync($"/api/nodes/{node.Name}/containers/{id}/stop?timeout=5", null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("audit log", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True((await _containers.InspectAsync(node, id)).State!.Running);
            await ExecuteAsync(locker, "ROLLBACK");
        }

        await AssertStopIsAuditedOnceAsync(http, node.Name, id);
        await using var db = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var rows = new SqliteCommand($"SELECT count(*) FROM audit_entries WHERE Target = '{id}'", db);
        Assert.Equal(2L, await rows.ExecuteScalarAsync()); // the pending row and its outcome
        await AssertASecondOutcomeIsRefusedAsync(panel, http, id);
    }

    [Fact]
    public async Task Stop_WhenTheAppRoleMayNotInsertAuditRowsInPostgres_IsRefused_AndTheContainerKeepsRunning()
    {
        var database = await LabDatabase.CreateAsync();
        var role = "cp_app_" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            await using (var owner = new PanelFactory(database.ConnectionString)) owner.CreateClient(); // migrations, as the owner
            // The README's grants for the app's role.
            await AdminAsync(database, $"""
                CREATE ROLE {role} LOGIN PASSWORD 'app-password';
                GRANT CONNECT ON DATABASE "{database.Name}" TO {role};
                GRANT USAGE ON SCHEMA public TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM {role};
                """);
            var app = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "app-password" }.ConnectionString;
            await using var panel = new PanelFactory(app);
            panel.Settings["ControlPanel:Database:MigrateOnStart"] = "false";
            var http = await panel.CreateClientAsync(Role.Operator);
            (await http.GetAsync("/api/nodes")).EnsureSuccessStatusCode();
            var node = Lab.SharedNodes[1];
            var id = await _containers.RunAsync(node, "sigquit", "audit-revoked", stopSignal: "SIGQUIT");

            await AdminAsync(database, $"REVOKE INSERT ON audit_entries FROM {role}");
            var refused = await http.PostAsync($"/api/nodes/{node.Name}/containers/{id}/stop?timeout=5", null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("audit log", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True((await _containers.InspectAsync(node, id)).State!.Running);

            await AdminAsync(database, $"GRANT INSERT ON audit_entries TO {role}");
            await AssertStopIsAuditedOnceAsync(http, node.Name, id);
            await AssertASecondOutcomeIsRefusedAsync(panel, http, id);
            await using var connection = new NpgsqlConnection(app);
            await connection.OpenAsync();
            var update = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand($"UPDATE audit_entries SET \"Succeeded\" = false WHERE \"Target\" = '{id}'", connection).ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
        }
        finally
        {
            await database.DisposeAsync();
            await using var admin = new NpgsqlConnection(Lab.Current.PostgresConnectionString);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP ROLE IF EXISTS {role}", admin).ExecuteNonQueryAsync();
        }
    }

    private async Task AssertStopIsAuditedOnceAsync(HttpClient http, string node, string id)
    {
        var stopped = await http.PostAsync($"/api/nodes/{node}/containers/{id}/stop?timeout=5", null);
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.False((await _containers.InspectAsync(Lab.SharedNodes.Single(n => n.Name == node), id)).State!.Running);
        var entry = Assert.Single(JsonDocument.Parse(await http.GetStringAsync($"/api/audit?text={id}")).RootElement.EnumerateArray());
        Assert.Equal("container.stop", entry.GetProperty("action").GetString());
        Assert.True(entry.GetProperty("succeeded").GetBoolean());
        Assert.False(entry.GetProperty("pending").GetBoolean());
        Assert.Equal("timeout=5s", entry.GetProperty("detail").GetString());
    }

    /// <summary>The outcome is a row of its own and cannot be appended twice: nobody can rewrite an action's result.</summary>
    private static async Task AssertASecondOutcomeIsRefusedAsync(PanelFactory panel, HttpClient http, string id)
    {
        var log = panel.Services.GetRequiredService<IAuditLog>();
        var entry = Assert.Single(await log.QueryAsync(new AuditQuery { Text = id }, default));
        await Assert.ThrowsAnyAsync<Exception>(() => log.CompleteAsync(entry.Id, entry with { Succeeded = false, Error = "rewritten" }, default));
        var again = Assert.Single(JsonDocument.Parse(await http.GetStringAsync($"/api/audit?text={id}")).RootElement.EnumerateArray());
        Assert.True(again.GetProperty("succeeded").GetBoolean());
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task AdminAsync(LabDatabase database, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(Lab.Current.PostgresConnectionString) { Database = database.Name };
        await using var admin = new NpgsqlConnection(builder.ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
