using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// Sets SQLite's own busy timeout on every connection the panel opens. Without it a write that meets another
/// connection's write lock gets SQLITE_BUSY at once, and Microsoft.Data.Sqlite retries only after sleeping 150 ms:
/// a rollout's parallel slots, heartbeats and samplers all write, so each meeting cost a deployment step 150 ms.
/// With it SQLite waits inside the call (1, 2, 5, 10 … ms between tries), so a write waits about as long as the
/// write ahead of it. The timeout itself matches the command timeout the retries were bounded by (30 s).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string BusyTimeout = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = BusyTimeout;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = BusyTimeout;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
