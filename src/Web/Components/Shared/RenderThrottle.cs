namespace ControlPanel.Web.Components.Shared;

/// <summary>
/// Coalesces bursts of changes into one render per interval: a node resync or a restart storm
/// produces hundreds of events, and rendering per event would swamp the circuit.
/// </summary>
public sealed class RenderThrottle(Func<Task> render, TimeSpan interval) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private int _scheduled;

    public void Request()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(interval, _disposed.Token);
            Interlocked.Exchange(ref _scheduled, 0);
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
