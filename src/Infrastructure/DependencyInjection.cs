using ControlPanel.Core.Audit;
using ControlPanel.Core.Fleet;
using ControlPanel.Infrastructure.Configuration;
using ControlPanel.Infrastructure.Consul;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Docker;
using ControlPanel.Infrastructure.Identity;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.Infrastructure.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure;

public static class DependencyInjection
{
    /// <param name="dataDirectory">Where the embedded SQLite file lives when no connection string is set.</param>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<ControlPanelOptions>().Bind(configuration.GetSection(ControlPanelOptions.Section));
        // With Consul bringing the nodes, the local engine is no longer the default node.
        var consulNodes = ConsulRegistration.DiscoversNodes(configuration);
        services.AddSingleton<INodeSource>(sp => new ConfiguredNodes(sp.GetRequiredService<IOptionsMonitor<ControlPanelOptions>>(), embeddedDefault: !consulNodes));
        services.AddSingleton<StoredNodes>();
        services.AddSingleton<INodeSource>(sp => sp.GetRequiredService<StoredNodes>());
        services.AddSingleton<INodeStore>(sp => sp.GetRequiredService<StoredNodes>());
        services.AddSingleton<DockerClientPool>();
        services.AddSingleton<IContainerEngine, DockerContainerEngine>();
        services.AddSingleton<IContainerExec, DockerContainerExec>();
        services.AddSingleton<Core.Traffic.IRotation, Nginx.NginxRotation>();
        services.AddSingleton<EngineHttp>();
        services.AddSingleton<Core.Logs.ILogSource, Docker.Logs.DockerLogSource>();

        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider == DatabaseProvider.PostgreSQL)
        {
            services.AddDbContextFactory<PostgresControlPanelDbContext>(o => o.UseNpgsql(database.ConnectionString));
            services.AddSingleton<IDbContextFactory<ControlPanelDbContext>, DbContextFactoryAdapter<PostgresControlPanelDbContext>>();
        }
        else
        {
            var embedded = Path.Combine(dataDirectory, "controlpanel.db");
            if (string.IsNullOrWhiteSpace(database.ConnectionString)) SqliteDatabaseFile.Prepare(embedded);
            var connection = string.IsNullOrWhiteSpace(database.ConnectionString) ? $"Data Source={embedded}" : database.ConnectionString;
            services.AddDbContextFactory<SqliteControlPanelDbContext>(o => o.UseSqlite(connection).AddInterceptors(new SqlitePragmas()));
            services.AddSingleton<IDbContextFactory<ControlPanelDbContext>, DbContextFactoryAdapter<SqliteControlPanelDbContext>>();
        }
        // Identity's stores and the services below share one context per request or circuit.
        services.AddScoped<ControlPanelDbContext>(sp => sp.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContext());
        services.AddIdentityCore<ControlPanelUser>(o =>
            {
                // Length over composition rules (NIST SP 800-63B).
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireDigit = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ControlPanelDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // Cookies, antiforgery tokens and (later) stored secrets are protected with keys every instance shares.
        var protection = services.AddDataProtection().SetApplicationName("ControlPanel").PersistKeysToDbContext<ControlPanelDbContext>();
        // The key ring itself is encrypted at rest with a certificate every instance holds, when one is configured.
        if (configuration["ControlPanel:DataProtection:CertificatePath"] is { Length: > 0 } certificate)
            protection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificate, configuration["ControlPanel:DataProtection:CertificatePassword"]));
        services.AddScoped<IdentitySeeder>();
        services.AddScoped<IApiTokens, ApiTokenService>();
        services.AddScoped<ICredentialStatus, CredentialStatus>();
        services.AddScoped<IUserAdministration, UserAdministration>();
        services.AddScoped<IUserPreferences, UserPreferences>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IAuditLog, EfAuditLog>();
        // Loaded by its hosted service, which starts after the migrations (DatabaseStartup runs first).
        services.AddSingleton<EfNodeCordons>();
        services.AddSingleton<INodeCordons>(sp => sp.GetRequiredService<EfNodeCordons>());
        services.AddSingleton<INodeCordonStore>(sp => sp.GetRequiredService<EfNodeCordons>());
        services.AddHostedService(sp => sp.GetRequiredService<EfNodeCordons>());
        // /healthz: a cheap read of the table every action needs, so an unreachable database shows as unhealthy.
        services.AddHealthChecks().AddDbContextCheck<ControlPanelDbContext>("database",
            customTestQuery: async (db, ct) =>
            {
                await db.AuditEntries.AsNoTracking().Select(a => a.Id).Take(1).ToListAsync(ct);
                return true;
            });

        services.AddSingleton<Core.Services.IServiceStore, EfServiceStore>();
        services.AddSingleton<Core.Registries.IRegistryStore, EfRegistryStore>();
        services.AddSingleton<Core.Builds.IBuildStore>(sp => new EfBuildStore(sp.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>(), Path.Combine(dataDirectory, "build-logs")));
        services.AddSingleton<Core.Builds.ISourceRepository>(sp => new Git.GitSourceRepository(Path.Combine(dataDirectory, "git-cache"), sp.GetRequiredService<Core.Builds.BuildOptions>()));
        services.AddSingleton<Core.Builds.IImageBuilder, DockerImageBuilder>();
        services.AddSingleton<Core.Releases.IReleaseStore, EfReleaseStore>();
        services.AddSingleton<Core.Pipelines.Push.IPushHookStore, EfPushHookStore>();
        services.AddSingleton<Core.Releases.IHttpProbe, Http.HttpReplicaProbe>();
        services.AddSingleton<Core.Releases.ITcpProbe, Sockets.TcpReplicaProbe>();
        services.AddSingleton<Core.Releases.IFastCgiProbe, FastCgi.FastCgiReplicaProbe>();
        services.AddSingleton<Core.Releases.ISecretProtector, DataProtectionSecretProtector>();
        services.AddOptions<Registry.RegistryOptions>().Bind(configuration.GetSection(Registry.RegistryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Registry.RegistryOptions>, Registry.RegistryOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Registry.RegistryOptions>>().Value);
        services.AddHttpClient<Core.Registries.IRegistryClient, Registry.RegistryHttpClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddWebhookDelivery();
        services.AddConsul(configuration);
        services.AddResourceUsageSources();
        return services;
    }
}
