using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.TestSupport;

/// <summary>
/// An empty database on each provider for one test class: a SQLite file and a PostgreSQL database on the lab
/// cluster, both removed afterwards. Create with <see cref="CreateAsync"/> in InitializeAsync.
/// </summary>
public sealed class ProviderDatabases : IAsyncDisposable
{
    private readonly string _sqliteFile = Path.Combine(Path.GetTempPath(), $"cp-db-{Guid.NewGuid():N}.db");
    private LabDatabase _postgres = default!;

    public static async Task<ProviderDatabases> CreateAsync() => new() { _postgres = await LabDatabase.CreateAsync() };

    /// <summary>Contexts on "sqlite" or "postgres", unmigrated until a test migrates them.</summary>
    public IDbContextFactory<ControlPanelDbContext> Contexts(string provider) => new Factory(() => provider == "sqlite"
        ? new SqliteControlPanelDbContext(new DbContextOptionsBuilder<SqliteControlPanelDbContext>().UseSqlite($"Data Source={_sqliteFile}").Options)
        : new PostgresControlPanelDbContext(new DbContextOptionsBuilder<PostgresControlPanelDbContext>().UseNpgsql(_postgres.ConnectionString).Options));

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_sqliteFile);
        await _postgres.DisposeAsync();
    }

    private sealed class Factory(Func<ControlPanelDbContext> create) : IDbContextFactory<ControlPanelDbContext>
    {
        public ControlPanelDbContext CreateDbContext() => create();
    }
}
