using ControlPanel.Core.Audit;

namespace ControlPanel.Web.Security;

/// <summary>
/// Writes the counted anonymous refusals of each ended minute (see <see cref="RefusalTally"/>) to the
/// audit log, and the current minute's when the panel stops, so every refusal is in some row's count.
/// </summary>
public sealed class RefusalAuditFlusher(RefusalTally tally, IAuditLog audit, ILogger<RefusalAuditFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(includeCurrent: false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(includeCurrent: true);
    }

    private async Task FlushAsync(bool includeCurrent)
    {
        foreach (var entry in tally.TakeEnded(includeCurrent))
        {
            try
            {
                await audit.RecordAsync(entry, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Dropped rather than kept: holding rows for a database that stays down would grow without bound.
                logger.LogError(ex, "Could not record {Count} refused anonymous requests from {Client}: {Detail}", entry.Count, entry.ClientAddress, entry.Detail);
            }
        }
    }
}
