using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Identity;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Hosting;

/// <summary>
/// Applies migrations (unless MigrateOnStart is off) and makes sure the roles exist before the app
/// serves requests. With no admin yet it says how to create one: there is no open first-run page.
/// </summary>
public sealed class DatabaseStartup(DatabaseMigrator migrator, StoredNodes storedNodes, IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, IHostEnvironment environment,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart) await migrator.MigrateAsync(cancellationToken);
        // Before the fleet watcher starts, so stored nodes are watched from the first moment.
        await storedNodes.LoadAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdentitySeeder>().EnsureRolesAsync();
        if (!await scope.ServiceProvider.GetRequiredService<IUserAdministration>().AnyAdminAsync(cancellationToken))
        {
            logger.LogWarning("No administrator exists yet. Create one with: {Command}", CreateAdminCommand(environment.ContentRootPath));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The command that fits how this panel runs: from a source checkout (its project file beside the content) through
    /// dotnet run; published (the container image, /app) by its own assembly. The passphrase is read at a prompt, so
    /// it is kept out of the shell's history. <paramref name="nameFolder"/>: whether to say where a published panel
    /// lives; not on the sign-in page, which anyone can read.
    /// </summary>
    public static string CreateAdminCommand(string contentRoot, bool nameFolder = true) =>
        File.Exists(Path.Combine(contentRoot, "Web.csproj"))
            ? $"{ReadPassphrase}dotnet run --project src/Web -- admin create --user NAME --password-stdin"
            : $"{ReadPassphrase}dotnet {typeof(DatabaseStartup).Assembly.GetName().Name}.dll admin create --user NAME --password-stdin"
              + (nameFolder ? $" (in the folder {contentRoot}" : " (in the panel's folder") + "; with compose: docker compose exec -T panel dotnet ControlPanel.Web.dll admin create ...)";

    private const string ReadPassphrase = "read -rsp 'Passphrase: ' PASS && echo \"$PASS\" | ";
}
