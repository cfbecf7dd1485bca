using ControlPanel.Core.Timeline;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Hosting;

/// <summary>The timeline: its settings, store and the loop that prunes it.</summary>
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
        services.AddHostedService<TimelinePruning>();
        return services;
    }
}
