using Microsoft.Extensions.Logging;

namespace ControlPanel.Core.Pipelines.Push;

/// <summary>
/// Logs refused push deliveries, at most <see cref="PerMinute"/> lines a minute: the hook URL is public, and a flood
/// of unsigned requests must not flood the log. The first line of the next minute says how many were left out.
/// </summary>
public sealed class PushRejectionLog(TimeProvider time)
{
    public const int PerMinute = 10;
    private readonly Lock _gate = new();
    private DateTimeOffset _window;
    private int _logged, _suppressed;

    public void Log(ILogger logger, string service, string? clientAddress, string reason)
    {
        int suppressedBefore;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            suppressedBefore = 0;
            if (now - _window >= TimeSpan.FromMinutes(1))
            {
                (_window, _logged, suppressedBefore, _suppressed) = (now, 0, _suppressed, 0);
            }
            if (_logged >= PerMinute)
            {
                _suppressed++;
                return;
            }
            _logged++;
        }
        if (suppressedBefore > 0) logger.LogWarning("Push hooks: {Count} more refused deliveries were not logged in the last minute", suppressedBefore);
        logger.LogWarning("Push hook of {Service}: refused (401) a request from {Client}: {Reason}", service, clientAddress ?? "unknown", reason);
    }
}
