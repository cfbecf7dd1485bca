using ControlPanel.Core.Fleet;

namespace ControlPanel.Web.Hosting;

/// <summary>Runs the fleet watcher (each node's events stream) for the life of the app.</summary>
public sealed class FleetWatcherService(FleetWatcher watcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => watcher.RunAsync(stoppingToken);
}
