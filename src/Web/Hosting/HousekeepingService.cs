using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Web.Hosting;

/// <summary>
/// Marks builds and deployments whose panel stopped mid-way as interrupted — at start and every heartbeat, since with
/// a shared PostgreSQL another instance may be the one that died — finishes those deployments (<see cref="DeploymentRecovery"/>),
/// and stops this instance's own when it stops.
/// </summary>
public sealed class HousekeepingService(BuildRunner runner, DeploymentRunner deployments, DeploymentRecovery recovery, FleetService fleet, INodeDirectory directory,
    LivenessOptions liveness, ILogger<HousekeepingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A deployment on nodes that come from Consul can only be resumed once Consul has listed them.
        await Task.WhenAny(directory.Ready, Task.Delay(TimeSpan.FromSeconds(10), stoppingToken));
        using var timer = new PeriodicTimer(liveness.HeartbeatInterval);
        do
        {
            try
            {
                await runner.MarkAbandonedAsync(stoppingToken);
                await recovery.ResumeAsync(await deployments.MarkAbandonedAsync(fleet.Nodes, stoppingToken), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not check for interrupted builds and deployments");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await runner.DisposeAsync();
        await deployments.DisposeAsync();
    }
}
