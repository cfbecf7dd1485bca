using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// Applies pending migrations, once, even when several instances start together. On SQLite EF Core's
/// own migration lock suffices. On PostgreSQL it does not: Npgsql's lock lasts one migration's
/// transaction, so a second instance that read the pending list early re-applies a later migration
/// ("relation already exists"); a session advisory lock around the whole run serialises instances.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<ControlPanelDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var advisoryLock = db.Database.IsNpgsql() ? await PostgresMigrationLock.AcquireAsync(db.Database.GetConnectionString()!, cancellationToken) : null;
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            logger.LogInformation("Database schema is up to date ({Provider})", db.Database.ProviderName);
            return [];
        }
        logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }
}

/// <summary>pg_advisory_lock on a connection of its own, held until disposed (or the session ends).</summary>
internal sealed class PostgresMigrationLock : IAsyncDisposable
{
    // Any constant shared by all instances of the panel: "CPMIGRAT" in ASCII.
    private const long Key = 0x43504D4947524154;
    private readonly Npgsql.NpgsqlConnection _connection;

    private PostgresMigrationLock(Npgsql.NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresMigrationLock> AcquireAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresMigrationLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection)) await command.ExecuteNonQueryAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>Lets Core-facing code ask for the base context whichever provider is configured.</summary>
internal sealed class DbContextFactoryAdapter<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<ControlPanelDbContext>
    where TContext : ControlPanelDbContext
{
    public ControlPanelDbContext CreateDbContext() => inner.CreateDbContext();
}
