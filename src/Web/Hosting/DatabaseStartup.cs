using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Identity;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Hosting;

/// <summary>
/// Applies migrations (unless MigrateOnStart is off) and makes sure the roles exist before the app
/// serves requests. With no admin yet it says how to create one: there is no open first-run page.
/// </summary>
public sealed class DatabaseStartup(DatabaseMigrator migrator, IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart) await migrator.MigrateAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdentitySeeder>().EnsureRolesAsync();
        if (!await scope.ServiceProvider.GetRequiredService<IUserAdministration>().AnyAdminAsync(cancellationToken))
        {
            logger.LogWarning("No administrator exists yet. Create one with: dotnet run --project src/Web -- admin create --user NAME --password-stdin");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
