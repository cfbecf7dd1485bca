using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Timeline;

/// <summary>
/// Records the panel's own events. The action they belong to has already been stored: a timeline that cannot be
/// written is logged and never fails the deployment, build or click.
/// </summary>
public sealed class PanelTimeline(ITimeline timeline, TimeProvider time, ILogger<PanelTimeline> logger)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task RecordAsync(FleetEvent entry)
    {
        try
        {
            await timeline.RecordAsync(entry, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not record {Kind} of {Service} on the timeline", entry.Kind, entry.Service ?? entry.Node);
        }
    }
}
