using ControlPanel.Core.Timeline;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Hosting;

/// <summary>The timeline: its settings, store, the recorders that feed it and the loop that prunes it.</summary>
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
        return services;
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
