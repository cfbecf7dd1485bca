using ControlPanel.Core.Fleet;
using ControlPanel.Core.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPanel.Core;

public static class DependencyInjection
{
    /// <summary>Core services. Needs an <see cref="FleetOptions"/> instance and Infrastructure's implementations.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        // Defaults; the host binds its configuration over them (AddWeb).
        services.TryAddSingleton(new Common.LivenessOptions());
        services.TryAddSingleton(new Releases.DeploymentOptions());
        services.TryAddSingleton(new Releases.HostMountOptions());
        services.TryAddSingleton(new Builds.BuildOptions());
        // Infrastructure registers the sources (configuration, the database, Consul); the directory merges them.
        services.AddSingleton<INodeDirectory, NodeDirectory>();
        services.AddSingleton<ContainerFactsCache>();
        services.AddSingleton<FleetChangeNotifier>();
        services.AddSingleton<FleetState>();
        services.AddSingleton<FleetWatcher>();
        services.AddSingleton<FleetService>();
        services.AddScoped<ContainerActionService>();
        services.AddScoped<NodeCordoning>();
        services.AddSingleton<Logs.LogFollowers>();
        services.AddSingleton<Logs.LogRangeReader>();
        services.AddSingleton<Logs.ServiceLogs>();
        services.AddSingleton<Logs.LogViewerQuota>();
        services.AddScoped<Services.ServiceCatalog>();
        services.AddScoped<Services.ServiceRemoval>();
        services.AddScoped<Registries.RegistryService>();
        services.AddScoped<NodeAdministration>();
        services.AddSingleton<Builds.BuildPipeline>();
        services.AddSingleton<Builds.BuildRunner>();
        services.AddScoped<Builds.BuildService>();
        services.AddSingleton<Builds.BuildUpdates>();
        services.AddSingleton<Services.ServiceChanges>();
        services.AddSingleton<Releases.DeploymentChanges>();
        services.AddSingleton<Releases.DeploymentUpdates>();
        services.AddSingleton<Releases.ReplicaHealth>();
        // A rollout and its replica factory hold one deployment's state (the ports it reserved): a fresh pair each.
        services.AddTransient<Releases.ReplicaFactory>();
        services.AddTransient<Releases.Rollout>();
        services.AddSingleton<Func<Releases.Rollout>>(sp => sp.GetRequiredService<Releases.Rollout>);
        services.AddSingleton<Releases.DeploymentSteps>();
        services.AddSingleton<Traffic.TrafficRotation>();
        services.AddSingleton<Traffic.ReplicaDrain>();
        services.AddSingleton<Traffic.RoutedServices>();
        services.AddSingleton<Traffic.RolloutTraffic>();
        services.AddSingleton<Traffic.RotationKeeper>();
        services.AddSingleton<Releases.RollingRestart>();
        services.AddSingleton<Releases.DeploymentRunner>();
        services.AddSingleton<Releases.DeploymentStarter>();
        services.AddSingleton<Releases.DeploymentRecovery>();
        services.AddScoped<Releases.ReleaseService>();
        Webhooks.WebhookRegistration.AddWebhooks(services);
        Pipelines.PipelineRegistration.AddPipelines(services);
        Pipelines.Push.PushRegistration.AddPushToDeploy(services);
        services.AddResourceUsage();
        return services;
    }
}
