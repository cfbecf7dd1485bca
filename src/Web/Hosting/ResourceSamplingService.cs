using ControlPanel.Core.Resources;

namespace ControlPanel.Web.Hosting;

/// <summary>Runs the resource samplers (one per node) for the life of the app.</summary>
public sealed class ResourceSamplingService(ResourceUsage usage) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => usage.RunAsync(stoppingToken);
}
