using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>What a failed save means, from the database's own error: only a unique key of the named table is a race lost.</summary>
internal static class DbErrors
{
    /// <summary>A unique key of <paramref name="table"/> refused the row: on SQLite a UNIQUE constraint naming it, on PostgreSQL 23505 on it.</summary>
    public static bool IsUniqueViolation(DbUpdateException ex, string table) => ex.InnerException switch
    {
        // SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY; the message names table.column.
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555 && sqlite.Message.Contains($"{table}.", StringComparison.Ordinal),
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && postgres.TableName == table,
        _ => false,
    };
}
