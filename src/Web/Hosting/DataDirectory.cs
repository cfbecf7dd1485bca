namespace ControlPanel.Web.Hosting;

/// <summary>Where the embedded SQLite file lives: ControlPanel:DataDirectory, else "data" beside the app's content.</summary>
public static class DataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the folder readable by the panel's user only (0700): it holds the database (with the key ring unless a
    /// certificate protects it), the git cache and the build logs. The database file itself is made 0600 by
    /// Infrastructure before its first use.
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
        Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly); // also one made by an earlier version
        return path;
    }
}
