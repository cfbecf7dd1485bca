using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ControlPanel.Infrastructure.Persistence;

// Used only by `dotnet ef migrations add`; the app configures contexts in DependencyInjection.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteControlPanelDbContext>
{
    public SqliteControlPanelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteControlPanelDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresControlPanelDbContext>
{
    public PostgresControlPanelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresControlPanelDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
