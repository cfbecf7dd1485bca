using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Identity;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Hosting;

/// <summary>
/// `admin create --user NAME --password-stdin [--role Admin]` and `token create --user NAME [--name N] [--days 90]`.
/// Whoever can run these on the server already holds its database; they act as "console".
/// </summary>
public static class AccountCommands
{
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var options = Options(args);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<ActorOverride>().Actor = new Actor("console", null, new HashSet<Role> { Role.Admin }, true);
        await services.GetRequiredService<IdentitySeeder>().EnsureRolesAsync();
        try
        {
            switch ($"{args[0]} {args.ElementAtOrDefault(1)}".ToLowerInvariant())
            {
                case "admin create":
                    if (!options.ContainsKey("password-stdin")) throw new InvalidRequestException("--password-stdin", "Pass the password on standard input with --password-stdin (never as an argument: it would show in the process list).");
                    var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n') ?? "";
                    var role = RolePermissions.TryParse(options.GetValueOrDefault("role") ?? "Admin", out var r) ? r
                        : throw new InvalidRequestException("--role", $"--role must be one of {string.Join(", ", Enum.GetNames<Role>())}.");
                    var user = await services.GetRequiredService<IUserAdministration>().CreateAsync(Require(options, "user"), password, role, CancellationToken.None);
                    Console.WriteLine($"Created {user.UserName} ({user.Role}).");
                    return 0;
                case "token create":
                    var days = int.TryParse(options.GetValueOrDefault("days") ?? "90", out var d) ? d : throw new InvalidRequestException("--days", "--days must be a whole number.");
                    var created = await services.GetRequiredService<IApiTokens>().CreateAsync(Require(options, "user"), options.GetValueOrDefault("name") ?? "cli",
                        DateTimeOffset.UtcNow.AddDays(days), CancellationToken.None);
                    Console.Error.WriteLine($"Token {created.Info.Id} for {Require(options, "user")}, expires {created.Info.ExpiresAt:u}:");
                    Console.WriteLine(created.Token); // the last line, for scripts
                    return 0;
                default:
                    Console.Error.WriteLine("usage: admin create --user NAME --password-stdin [--role ROLE] | token create --user NAME [--name NAME] [--days N]");
                    return 2;
            }
        }
        catch (ControlPanelException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    private static string Require(Dictionary<string, string?> options, string name) =>
        options.GetValueOrDefault(name) is { Length: > 0 } value ? value : throw new InvalidRequestException($"--{name}", $"--{name} is required.");

    private static Dictionary<string, string?> Options(string[] args)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 2; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            result[args[i][2..]] = hasValue ? args[++i] : null;
        }
        return result;
    }
}
