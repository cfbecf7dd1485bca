using ControlPanel.Core.Traffic;

namespace ControlPanel.Web.Hosting;

/// <summary>Runs <see cref="RotationKeeper"/> for the panel's lifetime.</summary>
public sealed class RotationKeeperService(RotationKeeper keeper) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listening = keeper.Start(stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The panel is stopping.
        }
    }
}
