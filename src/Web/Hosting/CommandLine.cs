using ControlPanel.Infrastructure.Persistence;

namespace ControlPanel.Web.Hosting;

/// <summary>Commands run instead of the web server, e.g. `-- migrate`.</summary>
public static class CommandLine
{
    public static bool IsCommand(string[] args, string command) =>
        args.Length > 0 && string.Equals(args[0], command, StringComparison.OrdinalIgnoreCase);

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
