using Microsoft.Data.Sqlite;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// The embedded database file, readable by the panel's user only. SQLite gives its -wal and -shm files the database
/// file's mode, and with the default umask all of them would be readable by every local user — and the database holds
/// the key ring unless a certificate protects it. So the file is created 0600 before EF Core first opens it, in WAL
/// mode as EF Core would have created it (readers then do not block the writer).
/// </summary>
internal static class SqliteDatabaseFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Prepare(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!File.Exists(file))
        {
            try
            {
                new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }).Dispose();
                using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
                connection.Open();
                using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode = 'wal';";
                wal.ExecuteNonQuery();
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another instance made it first.
            }
        }
        // Also the files of a database made by an earlier version.
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
            if (File.Exists(path)) File.SetUnixFileMode(path, OwnerOnly);
    }
}
