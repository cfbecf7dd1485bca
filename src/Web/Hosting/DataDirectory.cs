namespace ControlPanel.Web.Hosting;

/// <summary>Where the embedded SQLite file lives: ControlPanel:DataDirectory, else "data" beside the app's content.</summary>
public static class DataDirectory
{
    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration["ControlPanel:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment.ContentRootPath, "data");
        Directory.CreateDirectory(path);
        return path;
    }
}
