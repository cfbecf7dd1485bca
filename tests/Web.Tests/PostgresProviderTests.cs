using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Builds;
using Microsoft.Extensions.DependencyInjection;
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
        // The entry written before the engine was asked, and its outcome referring to it.
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*), count(\"CompletesId\") FROM audit_entries WHERE \"Target\" = 'pg-ghost'", connection);
        await using var reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((2L, 1L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task ServicesBuildsAndRegistries_WorkInPostgres_AndAbandonedBuildsAreMarkedInterrupted()
    {
        using var repo = new GitTestRepository();
        repo.Write("Dockerfile", $"FROM {Lab.Image("busybox")}\nRUN echo pg-{Guid.NewGuid():N}\n").Commit("pg");
        var http = await _factory.CreateClientAsync(Core.Security.Role.Admin);
        (await http.PutAsJsonAsync("/api/registries/lab", new { url = $"http://{Lab.Current.Registry}", userName = "someone", password = "pg-secret-value" })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync("/api/services/pg-app", new { repositoryUrl = repo.Path, registry = "lab", imageRepository = "tests/pg-app" })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync("/api/services/pg-app", new { repositoryUrl = repo.Path, branch = "main", registry = "lab", imageRepository = "tests/pg-app2" })).EnsureSuccessStatusCode();

        var started = await (await http.PostAsJsonAsync("/api/services/pg-app/builds", new { node = "node1" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = started.GetProperty("id").GetGuid();
        JsonElement build = default;
        await LabContainers.WaitUntilAsync(async () => (build = await http.GetFromJsonAsync<JsonElement>($"/api/builds/{id}")).GetProperty("status").GetString() != "Running",
            TimeSpan.FromSeconds(90), "the build to end");
        Assert.Equal("Succeeded", build.GetProperty("status").GetString());
        Assert.Equal(2, build.GetProperty("serviceRevision").GetInt32());
        Assert.Equal(2, (await http.GetFromJsonAsync<JsonElement>("/api/services/pg-app/revisions")).GetArrayLength());
        Assert.True((await http.GetFromJsonAsync<JsonElement>("/api/registries"))[0].GetProperty("hasPassword").GetBoolean());

        var store = _factory.Services.GetRequiredService<IBuildStore>();
        var stale = new Build
        {
            Id = Guid.NewGuid(), Service = "pg-app", ServiceRevision = 2, Requested = "main", Node = "node1", RequestedBy = "a panel that died",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10), HeartbeatAt = DateTimeOffset.UtcNow.AddMinutes(-5), SettingsFingerprint = "x",
        };
        await store.AddAsync(stale, new Core.Audit.AuditEntry { At = DateTimeOffset.UtcNow, Actor = "tests", Action = "build.start", Target = "pg-app", Succeeded = true, Duration = TimeSpan.Zero }, default);
        var fresh = stale with { Id = Guid.NewGuid(), HeartbeatAt = DateTimeOffset.UtcNow };
        await store.AddAsync(fresh, new Core.Audit.AuditEntry { At = DateTimeOffset.UtcNow, Actor = "tests", Action = "build.start", Target = "pg-app", Succeeded = true, Duration = TimeSpan.Zero }, default);

        Assert.Equal(1, await _factory.Services.GetRequiredService<BuildRunner>().MarkAbandonedAsync(default));
        Assert.Equal(BuildStatus.Interrupted, (await store.FindAsync(stale.Id, default))!.Status);
        Assert.Equal(BuildStatus.Running, (await store.FindAsync(fresh.Id, default))!.Status);
    }
}
