using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>
/// The embedded database's connections wait for another writer inside SQLite (SqlitePragmas), rather than getting
/// SQLITE_BUSY and Microsoft.Data.Sqlite's 150 ms sleep before its retry: that sleep once cost a rollout every step.
/// </summary>
public sealed class SqliteBusyTimeoutTests
{
    [Fact]
    public async Task EveryConnectionThePanelOpens_HasSqlitesBusyTimeoutSet()
    {
        await using var panel = new PanelFactory();
        await panel.CreateUserAsync(Role.Viewer);
        var contexts = panel.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>();

        // Two contexts: a pooled connection opened again keeps the setting too.
        for (var i = 0; i < 2; i++)
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await using var read = db.Database.GetDbConnection().CreateCommand();
            read.CommandText = "PRAGMA busy_timeout";
            Assert.Equal(30_000L, Assert.IsType<long>(await read.ExecuteScalarAsync()));
        }
    }
}
