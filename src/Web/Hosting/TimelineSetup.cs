using ControlPanel.Core.Timeline;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Hosting;

/// <summary>The timeline: its settings, store, the recorders that feed it (engine events and the panel's own) and the loop that prunes it.</summary>
public static class TimelineSetup
{
    public static IServiceCollection AddTimeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TimelineOptions>().Bind(configuration.GetSection("ControlPanel:Timeline")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TimelineOptions>, TimelineOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TimelineOptions>>().Value);
        services.AddSingleton<FleetEvents>();
        services.AddSingleton<TimelineFolding>();
        services.AddSingleton<EfTimeline>();
        services.AddSingleton<ITimeline>(sp => sp.GetRequiredService<EfTimeline>());
        services.AddSingleton<EngineEventRecorder>();
        services.AddHostedService<TimelineRecording>();
        services.AddHostedService<TimelinePruning>();
        // The panel's own events: every deployment, build and container action passes through these stores.
        services.AddSingleton<PanelTimeline>();
        services.Decorate<Core.Releases.IReleaseStore>((sp, inner) => new TimelineReleaseStore(inner, sp.GetRequiredService<PanelTimeline>()));
        services.Decorate<Core.Builds.IBuildStore>((sp, inner) => new TimelineBuildStore(inner, sp.GetRequiredService<PanelTimeline>()));
        services.Decorate<Core.Audit.IAuditLog>((sp, inner) => new TimelineAuditLog(inner, sp.GetRequiredService<PanelTimeline>(), sp.GetRequiredService<Core.Fleet.FleetState>()));
        return services;
    }

    /// <summary>Wraps the registered singleton <typeparamref name="TService"/> in <paramref name="decorate"/>.</summary>
    private static void Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate) where TService : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(registered);
        services.AddSingleton(sp => decorate(sp, registered.ImplementationFactory is { } factory ? (TService)factory(sp)
            : registered.ImplementationInstance is TService instance ? instance
            : (TService)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)));
    }

    /// <summary>Records the engines' events for the life of the app.</summary>
    private sealed class TimelineRecording(EngineEventRecorder recorder) : IHostedService
    {
        private IDisposable? _subscription;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _subscription = recorder.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _subscription?.Dispose();
            return Task.CompletedTask;
        }
    }
}
