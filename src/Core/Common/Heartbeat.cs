namespace ControlPanel.Core.Common;

/// <summary>Touches a running build's or deployment's record every interval, so other instances can tell it is alive.</summary>
public static class Heartbeat
{
    /// <summary>Beats until <paramref name="cancellationToken"/> is cancelled; a failed touch stops the beat and is reported, never thrown.</summary>
    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<DateTimeOffset, CancellationToken, Task> touch, Action<Exception> stopped, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) await touch(time.GetUtcNow(), cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            stopped(ex);
        }
    }
}
