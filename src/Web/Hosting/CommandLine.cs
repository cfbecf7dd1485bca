using ControlPanel.Infrastructure.Persistence;

namespace ControlPanel.Web.Hosting;

/// <summary>Commands run instead of the web server, e.g. `-- migrate`.</summary>
public static class CommandLine
{
    public static bool IsCommand(string[] args, string command) =>
        args.Length > 0 && string.Equals(args[0], command, StringComparison.OrdinalIgnoreCase);

    public static bool IsAnyCommand(string[] args) => args.Length > 0 && args[0] is "migrate" or "admin" or "token" or "healthcheck";

    public static async Task<int> HealthCheckAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/healthz";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            return (await http.GetAsync(url)).IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"{url}: {ex.Message}");
            return 1;
        }
    }

    public static async Task<int> MigrateAsync(WebApplication app)
    {
        var migrator = app.Services.GetRequiredService<DatabaseMigrator>();
        try
        {
            var applied = await migrator.MigrateAsync(CancellationToken.None);
            Console.WriteLine(applied.Count == 0 ? "Database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Migration failed: {ex.GetBaseException().Message}");
            return 1;
        }
    }
}
