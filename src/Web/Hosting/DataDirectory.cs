namespace ControlPanel.Web.Hosting;

/// <summary>Where the embedded SQLite file lives: ControlPanel:DataDirectory, else "data" beside the app's content.</summary>
public static class DataDirectory
{
    public const string SqliteFileName = "controlpanel.db";
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates the folder readable by the panel's user only (0700), and the SQLite file 0600 before SQLite first
    /// opens it: SQLite gives its -wal and -shm files the database file's mode, and with the default umask all three
    /// would be readable by every local user — the database holds the key ring unless a certificate protects it.
    /// </summary>
    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration["ControlPanel:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment.ContentRootPath, "data");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        Directory.CreateDirectory(path, OwnerOnlyFolder);
        File.SetUnixFileMode(path, OwnerOnlyFolder); // also one made by an earlier version
        var database = Path.Combine(path, SqliteFileName);
        var embedded = !string.Equals(configuration["ControlPanel:Database:Provider"], "PostgreSQL", StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrWhiteSpace(configuration["ControlPanel:Database:ConnectionString"]);
        if (embedded && !File.Exists(database)) new FileStream(database, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile }).Dispose();
        foreach (var file in new[] { database, database + "-wal", database + "-shm", database + "-journal" })
            if (File.Exists(file)) File.SetUnixFileMode(file, OwnerOnlyFile);
        return path;
    }
}
