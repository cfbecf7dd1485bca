using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// Applies pending migrations. EF Core takes a database-wide migration lock (a table lock on
/// PostgreSQL, a lock row on SQLite), so two instances starting together apply each migration once.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<ControlPanelDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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

/// <summary>Lets Core-facing code ask for the base context whichever provider is configured.</summary>
internal sealed class DbContextFactoryAdapter<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<ControlPanelDbContext>
    where TContext : ControlPanelDbContext
{
    public ControlPanelDbContext CreateDbContext() => inner.CreateDbContext();
}
