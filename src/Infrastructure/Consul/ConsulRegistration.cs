using System.Security.Cryptography.X509Certificates;
using ControlPanel.Core.Discovery;
using ControlPanel.Core.Fleet;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Infrastructure.Consul;

public static class ConsulRegistration
{
    /// <summary>
    /// The Consul client, only when ControlPanel:Consul:Address is set: without it nothing Consul-related is
    /// registered and the panel behaves as before.
    /// </summary>
    public static IServiceCollection AddConsul(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ConsulOptions.Section);
        if (string.IsNullOrWhiteSpace(section[nameof(ConsulOptions.Address)])) return services;
        services.AddOptions<ConsulOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsulOptions>, ConsulOptionsValidator>();
        services.AddHttpClient<ConsulClient>(http => http.Timeout = Timeout.InfiniteTimeSpan) // each call sets its own deadline
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<IOptions<ConsulOptions>>().Value))
            // The token travels in a header: no header value is ever written to the log.
            .RedactLoggedHeaders(_ => true);
        services.AddTransient<IConsulCatalog>(sp => sp.GetRequiredService<ConsulClient>());
        services.AddTransient<IConsulAgent>(sp => sp.GetRequiredService<ConsulClient>());
        services.AddSingleton<ConsulRotation>();
        services.AddSingleton<Core.Traffic.IRotation>(sp => sp.GetRequiredService<ConsulRotation>());
        services.AddSingleton<IReplicaRegistrations, ConsulReplicaView>();
        services.AddSingleton<ConsulReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsulReconciler>());
        if (DiscoversNodes(configuration))
        {
            services.AddSingleton<ConsulNodes>();
            services.AddSingleton<INodeSource>(sp => sp.GetRequiredService<ConsulNodes>());
            services.AddHostedService(sp => sp.GetRequiredService<ConsulNodes>());
        }
        return services;
    }

    /// <summary>Whether nodes come from Consul's catalog: an address is set and the node service is not turned off.</summary>
    public static bool DiscoversNodes(IConfiguration configuration)
    {
        var settings = new ConsulOptions();
        configuration.GetSection(ConsulOptions.Section).Bind(settings);
        return settings.DiscoversNodes;
    }

    /// <summary>Trusts only <see cref="ConsulOptions.CaFile"/> when set, and presents the client certificate when one is configured.</summary>
    public static SocketsHttpHandler CreateHandler(ConsulOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.ClientCertificateFile is { Length: > 0 } certificate && options.ClientKeyFile is { Length: > 0 } key)
        {
            // SslStream on Linux needs the key in a PKCS#12 form; the PEM pair alone is an ephemeral key it cannot use.
            using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }
        if (options.CaFile is { Length: > 0 } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            // Trust exactly the configured CA, nothing from the system store (as for TLS engines).
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
            policy.CustomTrustStore.AddRange(authorities);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        return handler;
    }
}
