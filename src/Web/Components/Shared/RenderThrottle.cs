namespace ControlPanel.Web.Components.Shared;

/// <summary>
/// Coalesces bursts of changes into one render per interval: a node resync or a restart storm
/// produces hundreds of events, and rendering per event would swamp the circuit. The first change
/// after a quiet interval renders at once; later ones wait for the interval since the last render.
/// </summary>
public sealed class RenderThrottle(Func<Task> render, TimeSpan interval) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private int _scheduled;
    private long _lastRender;

    public void Request()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            var wait = interval - TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastRender));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _disposed.Token);
            Interlocked.Exchange(ref _scheduled, 0);
            Interlocked.Exchange(ref _lastRender, DateTime.UtcNow.Ticks);
            await render();
        }
        catch (OperationCanceledException)
        {
            // Page closed while a render was pending.
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the delay and the render.
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
